using EstServer.Core.Issuance;
using EstServer.Core.Profiles;
using EstServer.Core.Profiles.Loading;
using EstServer.Host.Configuration;
using EstServer.Host.Pki;

namespace EstServer.Host.Startup;

/// <summary>
/// Chooses where the profiles come from: the profile directory (hot-reloaded), or, when none exists
/// and none was configured, the built-in device profile on the development PKI (<see cref="BuiltInProfile"/>),
/// so the server still runs out of the box from anywhere.
/// </summary>
public static partial class ProfileCatalogFactory
{
    public static IProfileCatalogProvider Create(EstOptions options, PkiMaterial pki, TimeProvider time, ILoggerFactory loggers)
    {
        bool configured = !string.IsNullOrWhiteSpace(options.ProfilesPath);
        string directory = Directory(options);
        if (!configured && !System.IO.Directory.Exists(directory))
        {
            if (pki.DevPki is null)
            {
                throw new EstConfigurationException($"no profile directory at {Path.GetFullPath(directory)}; set Est:ProfilesPath");
            }

            LogBuiltIn(loggers.CreateLogger(typeof(ProfileCatalogFactory)), Path.GetFullPath(directory));
            return new FixedProfileCatalogProvider(BuiltIn(LoadContext(pki.Ca, pki.BuiltInTrustAnchors)));
        }

        try
        {
            return new ProfileStore(directory, LoadContext(pki.Ca, pki.BuiltInTrustAnchors), time, options.ProfilesReloadInterval, loggers.CreateLogger<ProfileStore>());
        }
        catch (InvalidProfileSetException exception)
        {
            throw new EstConfigurationException(exception.Message, exception);
        }
    }

    /// <summary>The built-in profile, checked like a profile file; a problem with it stops start-up like one in a profile directory would.</summary>
    private static ProfileCatalog BuiltIn(ProfileLoadContext context)
    {
        ProfileLoadResult result = BuiltInProfile.Load(context);
        return result.IsValid ? result.Catalog! : throw new EstConfigurationException(new InvalidProfileSetException(result.Diagnostics).Message);
    }

    /// <summary>What validating a profile set needs from this server: its built-in anchors and its CA's lifetime.</summary>
    public static ProfileLoadContext LoadContext(IssuingCa ca, IReadOnlyDictionary<string, string> builtInTrustAnchors)
    {
        var resolver = new TrustAnchorResolver(builtInTrustAnchors);
        return new ProfileLoadContext
        {
            ResolveTrustAnchors = resolver.Resolve,
            IssuingCaLifetime = ca.Certificate.NotAfter - ca.Certificate.NotBefore,
        };
    }

    /// <summary>The profile directory in use: the configured one, else the default under the config directory.</summary>
    public static string Directory(EstOptions options) =>
        string.IsNullOrWhiteSpace(options.ProfilesPath) ? EstPaths.DefaultProfilesDirectory : options.ProfilesPath;

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning,
        Message = "No profile directory at {Directory}: serving the built-in default device profile on the development PKI")]
    private static partial void LogBuiltIn(ILogger logger, string directory);
}
