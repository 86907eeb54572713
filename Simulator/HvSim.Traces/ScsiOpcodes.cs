namespace HvSim.Traces;

/// <summary>SCSI CDB opcodes as block traces record them.</summary>
public static class ScsiOpcodes
{
    /// <summary>READ(6/10/12/16) and WRITE(6/10/12/16); any other command (SYNCHRONIZE CACHE, …) is neither.</summary>
    public static TraceOp Classify(int opcode) => opcode switch
    {
        0x08 or 0x28 or 0xa8 or 0x88 => TraceOp.Read,
        0x0a or 0x2a or 0xaa or 0x8a => TraceOp.Write,
        _ => TraceOp.Unknown,
    };
}
