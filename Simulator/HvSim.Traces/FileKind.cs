using System.Runtime.InteropServices;

namespace HvSim.Traces;

/// <summary>
/// What a path names, told without opening it. HvSim reads scenarios, `extends:` targets, traces and shard folders
/// only when they are regular files: opening a FIFO blocks until someone writes to it, and a device such as /dev/zero
/// or /dev/urandom never ends (both look like an existing empty file to <see cref="FileInfo"/>). Shard folders are
/// copied only as regular files, so a symbolic link in one can never make `hvsim merge` copy what it points to.
/// </summary>
public enum FileKind
{
    Missing,
    Regular,
    Directory,
    SymbolicLink,
    Fifo,
    Device,
    Socket,
}

/// <summary>The <see cref="FileKind"/> of a path, from statx(2) on Linux (its record has one layout on every architecture).</summary>
public static class FileKinds
{
    /// <summary>The kind of <paramref name="path"/>; a symbolic link is followed unless <paramref name="followLinks"/> is false.</summary>
    public static FileKind Of(string path, bool followLinks = true)
    {
        if (OperatingSystem.IsLinux())
        {
            var buffer = new byte[StatxSize];
            if (statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxType, buffer) != 0) return FileKind.Missing;
            return (BitConverter.ToUInt16(buffer, StatxModeOffset) & SIfmt) switch
            {
                SIfreg => FileKind.Regular,
                SIfdir => FileKind.Directory,
                SIflnk => FileKind.SymbolicLink,
                SIfifo => FileKind.Fifo,
                SIfsock => FileKind.Socket,
                _ => FileKind.Device,
            };
        }
        var info = new FileInfo(path);
        if (!followLinks && info.LinkTarget is not null) return FileKind.SymbolicLink;
        return Directory.Exists(path) ? FileKind.Directory : info.Exists ? FileKind.Regular : FileKind.Missing;
    }

    /// <summary>"a named pipe (FIFO)", ...: how a message names a kind of file that is not a regular file.</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Missing => "missing",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a folder",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Fifo => "a named pipe (FIFO)",
        FileKind.Device => "a device (such as /dev/zero)",
        _ => "a socket",
    };

    /// <summary>
    /// Null when <paramref name="path"/> (links followed) is a regular file; else what it is instead, as a message
    /// says it: "file not found", "a folder, not a file", "a named pipe (FIFO), not a regular file".
    /// </summary>
    public const string NotFound = "file not found";

    public static string? NotRegular(string path) => Of(path) switch
    {
        FileKind.Regular => null,
        FileKind.Missing => NotFound,
        FileKind.Directory => "a folder, not a file",
        var kind => $"{Describe(kind)}, not a regular file",
    };

    // statx(2): AT_FDCWD, AT_SYMLINK_NOFOLLOW, STATX_TYPE; struct statx is 256 bytes with __u16 stx_mode at offset 28.
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int StatxSize = 256;
    private const int StatxModeOffset = 28;
    private const int SIfmt = 0xF000, SIfsock = 0xC000, SIflnk = 0xA000, SIfreg = 0x8000, SIfdir = 0x4000, SIfifo = 0x1000;

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
