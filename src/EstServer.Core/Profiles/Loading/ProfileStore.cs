using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace EstServer.Core.Profiles.Loading;

/// <summary>
/// The profiles in force, reloaded when the directory changes. The directory is polled (a content
/// hash of its files), which also works where file-change notifications do not, such as mounted
/// config volumes that are replaced by a symlink swap. A set that fails validation is rejected as a
/// whole: its problems are logged and the last good set stays in force; requests already running keep
/// the snapshot they took.
/// </summary>
public sealed partial class ProfileStore : IProfileCatalogProvider, IDisposable
{
    private readonly string _directory;
    private readonly ProfileLoadContext _context;
    private readonly ILogger<ProfileStore> _logger;
    private readonly ITimer _timer;
    private ProfileCatalog _current;
    private string _fingerprint;
    private CancellationTokenSource _reloaded = new();
    private int _reloading;

    public ProfileStore(string directory, ProfileLoadContext context, TimeProvider time, TimeSpan pollInterval, ILogger<ProfileStore> logger)
    {
        _directory = Path.GetFullPath(directory);
        _context = context;
        _logger = logger;
        ProfileLoadResult result = ProfileDirectoryLoader.Load(_directory, context);
        if (!result.IsValid)
        {
            throw new InvalidProfileSetException(result.Diagnostics);
        }

        _current = result.Catalog!;
        _fingerprint = Fingerprint();
        LogLoaded(logger, _current.Profiles.Count, _directory, string.Join(", ", _current.Profiles.Select(Describe)));
        _timer = time.CreateTimer(_ => Poll(), null, pollInterval, pollInterval);
    }

    public ProfileCatalog Current => Volatile.Read(ref _current);

    /// <summary>The problems of the last rejected edit, until a valid set is loaded again.</summary>
    public IReadOnlyList<ProfileDiagnostic> RejectedDiagnostics { get; private set; } = [];

    /// <summary>Fires after each reload attempt that saw a change, accepted or rejected.</summary>
    public IChangeToken ReloadToken => new CancellationChangeToken(Volatile.Read(ref _reloaded).Token);

    /// <summary>Checks the directory now; true if a new set was put in force.</summary>
    public bool ReloadIfChanged()
    {
        if (Interlocked.Exchange(ref _reloading, 1) == 1)
        {
            return false;
        }

        try
        {
            string fingerprint = Fingerprint();
            if (fingerprint == _fingerprint)
            {
                return false;
            }

            ProfileLoadResult result = ProfileDirectoryLoader.Load(_directory, _context);

            // Remembered only once the change has been looked at, so a load that throws is retried.
            _fingerprint = fingerprint;
            bool accepted = result.IsValid;
            if (accepted)
            {
                Volatile.Write(ref _current, result.Catalog!);
                RejectedDiagnostics = [];
                LogLoaded(_logger, result.Catalog!.Profiles.Count, _directory, string.Join(", ", result.Catalog.Profiles.Select(Describe)));
            }
            else
            {
                RejectedDiagnostics = result.Diagnostics;
                LogRejected(_logger, _directory, result.Diagnostics.Count, string.Join(Environment.NewLine, result.Diagnostics));
            }

            CancellationTokenSource previous = Interlocked.Exchange(ref _reloaded, new CancellationTokenSource());
            previous.Cancel();
            previous.Dispose();
            return accepted;
        }
        finally
        {
            Volatile.Write(ref _reloading, 0);
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _reloaded.Dispose();
    }

    private void Poll()
    {
        try
        {
            ReloadIfChanged();
        }
        catch (Exception exception)
        {
            // Nothing an edit can do may take the server down: log it and keep the last good set.
            LogPollFailed(_logger, exception, _directory);
        }
    }

    private string Fingerprint()
    {
        if (!Directory.Exists(_directory))
        {
            return "missing";
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        // The trust-anchor PEM files the profiles name count too: replacing a maker's CA bundle
        // takes effect like an edit of the profile that names it.
        IEnumerable<string> anchorFiles = Volatile.Read(ref _current)?.Profiles.SelectMany(p => p.DeviceIdentityAnchors.Files) ?? [];
        foreach (string file in ProfileDirectoryLoader.ProfileFiles(_directory).Concat(anchorFiles.Distinct(StringComparer.Ordinal)))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(file + "\0"));
            try
            {
                hash.AppendData(File.ReadAllBytes(file));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // A file being replaced right now (or gone); the next poll sees the finished state.
                hash.AppendData("unreadable"u8);
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static string Describe(CertificateProfile profile) =>
        $"{profile.Name}@{profile.Version} [{string.Join(' ', profile.Labels.Prepend(profile.ServesUnlabelled ? "(default)" : null).OfType<string>())}]";

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Loaded {Count} certificate profiles from {Directory}: {Profiles}")]
    private static partial void LogLoaded(ILogger logger, int count, string directory, string profiles);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error,
        Message = "Rejected the edited profile set in {Directory} ({Count} problems); the last good set stays in force:\n{Problems}")]
    private static partial void LogRejected(ILogger logger, string directory, int count, string problems);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Could not check {Directory} for profile changes")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, string directory);
}
