namespace EstServer.Host.Configuration;

/// <summary>The "Est" configuration section (environment form: Est__Name).</summary>
public sealed class EstOptions
{
    public const string Section = "Est";

    /// <summary>Where the server keeps its state; defaults to $EST_DATA_DIR, else ./data.</summary>
    public string DataDir { get; set; } = "";

    /// <summary>Directory of certificate-policy profiles (*.yaml); defaults to $EST_CONFIG_DIR/profiles, else ./config/profiles.</summary>
    public string ProfilesPath { get; set; } = "";

    /// <summary>How often the profile directory is checked for edits.</summary>
    public TimeSpan ProfilesReloadInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Request bodies beyond this are refused with 413; a CSR is a few hundred bytes to a few KiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>How long an enrollment waits for its certificate before the answer is 202 + Retry-After.</summary>
    public TimeSpan EnrollmentWaitBudget { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The Retry-After given with 202 and 503 answers.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    public CaOptions Ca { get; set; } = new();

    public TlsOptions Tls { get; set; } = new();

    public SigningOptions Signing { get; set; } = new();

    /// <summary>
    /// A StackExchange.Redis configuration string. Set, the host queues signing jobs in Redis for signer
    /// workers (estserver signer) and never loads the CA key; empty, it signs in process.
    /// </summary>
    public string Redis { get; set; } = "";

    public EstServer.Redis.RedisQueueOptions Queue { get; set; } = new();

    public RateLimitOptions RateLimits { get; set; } = new();

    public KestrelLimitOptions Limits { get; set; } = new();

    public MetricsOptions Metrics { get; set; } = new();

    /// <summary>"refuse" (default): a public key already certified to another identity is refused (403); "allow" turns the check off.</summary>
    public string DuplicateKeys { get; set; } = "refuse";

    /// <summary>Optional file of known-bad public keys (SHA-256 hex of the SubjectPublicKeyInfo, one per line) that are always refused.</summary>
    public string KeyBlocklistPath { get; set; } = "";

    /// <summary>"text" (default) or "json": one JSON object per log line, with the request scope as fields.</summary>
    public string LogFormat { get; set; } = "text";

    public bool UsesRedis => !string.IsNullOrWhiteSpace(Redis);

    /// <summary>Fills in the defaults that depend on the environment.</summary>
    public void ApplyEnvironmentDefaults()
    {
        if (string.IsNullOrWhiteSpace(DataDir))
        {
            DataDir = EstPaths.DataDirectory;
        }
    }
}
