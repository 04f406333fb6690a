namespace EstServer.Host.Configuration;

/// <summary>The "Est" configuration section (environment form: Est__Name).</summary>
public sealed class EstOptions
{
    public const string Section = "Est";

    /// <summary>Where the server keeps its state; defaults to $EST_DATA_DIR, else ./data.</summary>
    public string DataDir { get; set; } = "";

    /// <summary>EST labels (RFC 7030 §3.2.2) served besides the unlabelled route.</summary>
    public List<string> Labels { get; set; } = [];

    /// <summary>Request bodies beyond this are refused with 413; a CSR is a few hundred bytes to a few KiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>How long an enrollment waits for its certificate before the answer is 202 + Retry-After.</summary>
    public TimeSpan EnrollmentWaitBudget { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The Retry-After given with 202 and 503 answers.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long after expiry a certificate we issued may still re-enroll.</summary>
    public TimeSpan ReenrollGracePeriod { get; set; } = TimeSpan.Zero;

    /// <summary>PEM files of the device-identity (IDevID) CAs whose devices may simpleenroll.</summary>
    public List<string> DeviceTrustAnchors { get; set; } = [];

    public CaOptions Ca { get; set; } = new();

    public TlsOptions Tls { get; set; } = new();

    public SigningOptions Signing { get; set; } = new();
}
