namespace HvSim.Model.Workloads;

internal static class GuestPages
{
    public static int Check(int guestPages) => guestPages >= 1 ? guestPages
        : throw new ArgumentOutOfRangeException(nameof(guestPages), guestPages, "a workload needs at least one guest page");
}
