namespace HvSim.Engine.Resources;

/// <summary>
/// Token for one <see cref="Resource.Request"/>: dispose it (typically with <c>using</c>) to release the unit, or
/// to withdraw the request if it is still waiting. Disposing twice, or after preemption, does nothing.
/// </summary>
public readonly struct ResourceRequest : IDisposable
{
    private readonly Resource? _resource;
    private readonly int _index;
    private readonly int _version;

    internal ResourceRequest(Resource resource, int index, int version)
    {
        _resource = resource;
        _index = index;
        _version = version;
    }

    /// <summary>True while this request holds a unit (false while waiting, after release and after preemption).</summary>
    public bool IsGranted => _resource != null && _resource.IsGranted(_index, _version);

    public void Dispose() => _resource?.Dispose(_index, _version);
}
