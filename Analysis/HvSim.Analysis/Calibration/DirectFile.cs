using System.ComponentModel;
using System.Runtime.InteropServices;

namespace HvSim.Analysis.Calibration;

/// <summary>
/// A file or block device opened with O_DIRECT (no page cache: every read and write reaches the device, as swap I/O
/// does through swap_readpage/__swap_writepage), read and written with pread/pwrite at page-aligned offsets.
/// </summary>
internal sealed class DirectFile : IDisposable
{
    private const int ORdonly = 0, ORdwr = 2, OCloexec = 0x80000, SeekEnd = 2;
    private readonly int _fd;

    public DirectFile(string path, bool writable)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("O_DIRECT I/O is measured on Linux only");
        // O_DIRECT is 040000 on x86-64 and 0200000 on arm64 (include/uapi/asm-generic/fcntl.h vs arch/arm64).
        int direct = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x10000 : 0x4000;
        _fd = Open(path, (writable ? ORdwr : ORdonly) | direct | OCloexec, 0);
        if (_fd < 0) throw new IOException($"cannot open {path} with O_DIRECT: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        Length = Lseek(_fd, 0, SeekEnd);
        if (Length < 0) throw new IOException($"cannot find the size of {path}: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
    }

    /// <summary>Bytes in the file or device.</summary>
    public long Length { get; }

    /// <summary>One pread or pwrite of <paramref name="bytes"/> at <paramref name="offset"/> from/to an aligned buffer.</summary>
    public void Transfer(AlignedBuffer buffer, int bytes, long offset, bool write)
    {
        long done = write ? Pwrite(_fd, buffer.Pointer, (nuint)bytes, offset) : Pread(_fd, buffer.Pointer, (nuint)bytes, offset);
        if (done != bytes)
            throw new IOException($"{(write ? "pwrite" : "pread")} of {bytes} bytes at {offset}: " +
                (done < 0 ? new Win32Exception(Marshal.GetLastPInvokeError()).Message : $"only {done} bytes"));
    }

    public void Dispose() => Close(_fd);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(string path, int flags, int mode);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static extern long Lseek(int fd, long offset, int whence);

    [DllImport("libc", EntryPoint = "pread", SetLastError = true)]
    private static extern nint Pread(int fd, IntPtr buffer, nuint count, long offset);

    [DllImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    private static extern nint Pwrite(int fd, IntPtr buffer, nuint count, long offset);
}

/// <summary>Native memory aligned to 4 KiB, as O_DIRECT requires of its buffers.</summary>
internal sealed class AlignedBuffer : IDisposable
{
    private const int Alignment = 4096;
    private readonly IntPtr _raw;

    public AlignedBuffer(int bytes)
    {
        _raw = Marshal.AllocHGlobal(bytes + Alignment);
        Pointer = (IntPtr)(((long)_raw + Alignment - 1) & ~(long)(Alignment - 1));
        var fill = new byte[bytes];
        new Random(bytes).NextBytes(fill); // not zeros: a thin-provisioned or compressing device must store it
        Marshal.Copy(fill, 0, Pointer, bytes);
    }

    public IntPtr Pointer { get; }

    public void Dispose() => Marshal.FreeHGlobal(_raw);
}
