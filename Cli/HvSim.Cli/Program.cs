using System.CommandLine;
using HvSim.Cli;

// Thin entry point: each command lives in its own file under Commands/ and only wires options to library calls.
var root = new RootCommand("HvSim: discrete-event simulator of host paging of KVM Book3S HV guests (POWER7 pageable vs PPC970 pinned)");
foreach (var command in CommandRegistry.All())
    root.Subcommands.Add(command);
return CliRunner.Invoke(root, args);
