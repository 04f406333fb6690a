using EstServer.EndToEnd.Tests.Support;

namespace EstServer.EndToEnd.Tests.ScaleOut;

/// <summary>The cluster's host process: started once, and again on the same address after a crash.</summary>
public sealed partial class ScaleOutCluster
{
    /// <summary>Kills the host (SIGKILL, as a crash would) and starts a new one on the same address, as a supervisor does.</summary>
    public async Task KillHostAndRestartAsync()
    {
        EstTestServer crashed = Started;
        await crashed.Process!.KillAsync();
        // Kept until the cluster goes: the devices' clients still trust its anchor certificate object.
        _crashedHosts.Add(crashed);
        _host = await StartHostAsync(crashed.BaseAddress.Port);
    }

    private Task<EstTestServer> StartHostAsync(int port) => EstTestServer.StartAsync(new()
    {
        Binary = true,
        Name = "host",
        Purpose = "scaleout-host",
        WorkingDirectory = HostDataDirectory,
        DataDirectory = HostDataDirectory,
        ConfigDirectory = ConfigDirectory,
        Profiles = null,
        Settings = port == 0 ? [] : ["--urls", $"https://127.0.0.1:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}"],
        Environment = Environment(HostDataDirectory),
        ReadyLine = line => line.Contains(PrintedInstructions.ReadyMarker, StringComparison.Ordinal),
        ReadyTimeout = StartTimeout,
    });
}
