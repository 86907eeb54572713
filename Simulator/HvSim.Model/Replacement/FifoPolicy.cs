namespace HvSim.Model.Replacement;

/// <summary>FIFO (libCacheSim <c>fifo</c>): hits change nothing, the victim is the oldest inserted page.</summary>
public sealed class FifoPolicy(int pageCount) : SingleListPolicy(pageCount)
{
    public override string Name => "fifo";
    public override bool ObservesAccesses => false;
    public override void Hit(int page) { }
}
