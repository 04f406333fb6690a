namespace EstServer.Host.Configuration;

/// <summary>The "Est" configuration section (environment form: Est__Name).</summary>
public sealed record EstOptions
{
    public const string Section = "Est";

    /// <summary>Where the server keeps its state; defaults to $EST_DATA_DIR, else ./data (also when set empty).</summary>
    public string DataDir
    {
        get;
        init => field = string.IsNullOrWhiteSpace(value) ? EstPaths.DataDirectory : value;
    } = EstPaths.DataDirectory;

    /// <summary>Directory of certificate-policy profiles (*.yaml); defaults to $EST_CONFIG_DIR/profiles, else ./config/profiles.</summary>
    public string ProfilesPath { get; init; } = "";

    /// <summary>How often the profile directory is checked for edits.</summary>
    public TimeSpan ProfilesReloadInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Request bodies beyond this are refused with 413; a CSR is a few hundred bytes to a few KiB.</summary>
    public long MaxRequestBodyBytes { get; init; } = 64 * 1024;

    /// <summary>How long an enrollment waits for its certificate before the answer is 202 + Retry-After.</summary>
    public TimeSpan EnrollmentWaitBudget { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The Retry-After given with 202 and 503 answers.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(5);

    public CaOptions Ca { get; init; } = new();

    public TlsOptions Tls { get; init; } = new();

    public SigningOptions Signing { get; init; } = new();

    /// <summary>
    /// A StackExchange.Redis configuration string. Set, the host queues signing jobs in Redis for signer
    /// workers (estserver signer) and never loads the CA key; empty, it signs in process.
    /// </summary>
    public string Redis { get; init; } = "";

    public EstServer.Redis.RedisQueueOptions Queue { get; init; } = new();

    /// <summary>
    /// The certificate store. Empty (default): SQLite at &lt;DataDir&gt;/estserver.db, created on first
    /// run. <c>Host=...;Database=...</c> or a postgresql:// URI: PostgreSQL, shared by every host and
    /// signer. Never logged: it may hold a password.
    /// </summary>
    public string Database { get; init; } = "";

    public RevocationOptions Revocation { get; init; } = new();

    public RateLimitOptions RateLimits { get; init; } = new();

    public KestrelLimitOptions Limits { get; init; } = new();

    public MetricsOptions Metrics { get; init; } = new();

    public AdminOptions Admin { get; init; } = new();

    /// <summary>"refuse" (default): a public key already certified to another identity is refused (403); "allow" turns the check off.</summary>
    public string DuplicateKeys { get; init; } = "refuse";

    /// <summary>Optional file of known-bad public keys (SHA-256 hex of the SubjectPublicKeyInfo, one per line) that are always refused.</summary>
    public string KeyBlocklistPath { get; init; } = "";

    /// <summary>
    /// "text" (default) or "json": one JSON object per log line, with the request scope as fields. Read
    /// from the configuration by the logging set-up, which runs before the options exist.
    /// </summary>
    public string LogFormat { get; init; } = "text";

    public bool UsesRedis => !string.IsNullOrWhiteSpace(Redis);

    /// <summary>A record prints every property; Est:Redis and Est:Database may hold passwords, so they print as set or not.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("DataDir = ").Append(DataDir)
            .Append(", Redis = ").Append(UsesRedis ? "(set, hidden)" : "(none)")
            .Append(", Database = ").Append(string.IsNullOrWhiteSpace(Database) ? "(embedded SQLite)" : "(set, hidden)")
            .Append(", Ca = ").Append(Ca).Append(", Revocation = ").Append(Revocation);
        return true;
    }

    /// <summary>Est:DuplicateKeys as the one parser reads it (the validator has refused anything else).</summary>
    public DuplicateKeyPolicy DuplicateKeyPolicy => SettingChoice.Parse<DuplicateKeyPolicy>($"{Section}:{nameof(DuplicateKeys)}", DuplicateKeys);
}
