using EstServer.Core.Profiles;
using EstServer.Core.Profiles.Loading;
using EstServer.Core.Tests.Support;
using EstServer.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;

namespace EstServer.Core.Tests.Profiles.Loading;

public class ProfileStoreTests
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    private ProfileKit _kit = null!;
    private FakeTimeProvider _time = null!;
    private RecordingLogger<ProfileStore> _logger = null!;
    private string _directory = null!;
    private int _sets;

    [OneTimeSetUp]
    public void CreateKit() => _kit = new ProfileKit();

    [OneTimeTearDown]
    public void DisposeKit() => _kit.Dispose();

    [SetUp]
    public void CreateDirectory()
    {
        _time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _logger = new RecordingLogger<ProfileStore>();
        _directory = TestProfile.WriteDirectory(
            _kit.NewDirectory($"store-{Interlocked.Increment(ref _sets)}"),
            Profile("2.999.42.1"),
            new TestProfile { Name = "other", Labels = ["other"] });
    }

    [Test]
    public void Constructor_ValidDirectory_LoadsAndLogs()
    {
        using ProfileStore store = CreateStore();

        Assert.Multiple(() =>
        {
            Assert.That(store.Current.Profiles.Select(p => p.Name), Is.EqualTo(new[] { "devices", "other" }));
            Assert.That(PolicyOid(store), Is.EqualTo("2.999.42.1"));
            Assert.That(store.RejectedDiagnostics, Is.Empty);
            Assert.That(_logger.Entries.Select(e => (e.Level, e.EventId.Id)), Is.EqualTo(new[] { (LogLevel.Information, 4001) }));
            Assert.That(_logger.Entries.Single().Message, Does.Contain("Loaded 2 certificate profiles").And.Contain("devices@"));
        });
    }

    [Test]
    public void Constructor_InvalidSet_ThrowsListingEveryDiagnostic()
    {
        Edit(Profile("2.999.42.1") with { Validity = "0d" });
        File.WriteAllText(Path.Combine(_directory, "third.yaml"), new TestProfile { Name = "third", Labels = ["other"] }.ToYaml());

        InvalidProfileSetException? exception = Assert.Throws<InvalidProfileSetException>(() => CreateStore().Dispose());

        Assert.That(exception!.Diagnostics.Select(d => d.Rule), Is.EquivalentTo(new[] { "validity", "duplicate-label" }));
        Assert.Multiple(() =>
        {
            foreach (ProfileDiagnostic diagnostic in exception.Diagnostics)
            {
                Assert.That(exception.Message, Does.Contain(diagnostic.ToString()));
            }
        });
    }

    [Test]
    public void Constructor_MissingDirectory_Throws()
    {
        string missing = Path.Combine(_kit.Directory.Path, "absent");

        InvalidProfileSetException? exception = Assert.Throws<InvalidProfileSetException>(
            () => new ProfileStore(missing, _kit.Context, _time, PollInterval, _logger).Dispose());

        Assert.That(exception!.Diagnostics.Select(d => d.Rule), Is.EqualTo(new[] { "directory" }));
    }

    [Test]
    public void Poll_EditedFileAfterInterval_NewSetInForce()
    {
        using ProfileStore store = CreateStore();
        ProfileCatalog before = store.Current;
        Edit(Profile("2.999.42.2"));

        _time.Advance(PollInterval);

        Assert.Multiple(() =>
        {
            Assert.That(store.Current, Is.Not.SameAs(before));
            Assert.That(PolicyOid(store), Is.EqualTo("2.999.42.2"));
            Assert.That(PolicyOid(before), Is.EqualTo("2.999.42.1"), "a snapshot taken before keeps its profiles");
            Assert.That(_logger.Entries.Count(e => e.EventId.Id == 4001), Is.EqualTo(2));
        });
    }

    [Test]
    public void Poll_EditedFileBeforeInterval_NotYetReloaded()
    {
        using ProfileStore store = CreateStore();
        Edit(Profile("2.999.42.2"));

        _time.Advance(PollInterval - TimeSpan.FromMilliseconds(1));

        Assert.That(PolicyOid(store), Is.EqualTo("2.999.42.1"));
    }

    [Test]
    public void ReloadIfChanged_EditedFile_ReturnsTrueAndPutsNewSetInForce()
    {
        using ProfileStore store = CreateStore();
        Edit(Profile("2.999.42.3"));

        bool reloaded = store.ReloadIfChanged();

        Assert.Multiple(() =>
        {
            Assert.That(reloaded, Is.True);
            Assert.That(PolicyOid(store), Is.EqualTo("2.999.42.3"));
        });
    }

    [Test]
    public void ReloadIfChanged_NoChange_ReturnsFalseKeepsInstanceAndDoesNotFire()
    {
        using ProfileStore store = CreateStore();
        ProfileCatalog before = store.Current;
        IChangeToken token = store.ReloadToken;

        bool reloaded = store.ReloadIfChanged();
        _time.Advance(PollInterval * 3);

        Assert.Multiple(() =>
        {
            Assert.That(reloaded, Is.False);
            Assert.That(store.Current, Is.SameAs(before));
            Assert.That(token.HasChanged, Is.False);
            Assert.That(_logger.Entries, Has.Count.EqualTo(1), "only the initial load was logged");
        });
    }

    [Test]
    public void ReloadIfChanged_BrokenEdit_RejectedLastGoodSetStaysAndErrorLogged()
    {
        using ProfileStore store = CreateStore();
        ProfileCatalog before = store.Current;
        Edit(Profile("2.999.42.4") with { Validity = "0d" });

        bool reloaded = store.ReloadIfChanged();

        Assert.Multiple(() =>
        {
            Assert.That(reloaded, Is.False);
            Assert.That(store.Current, Is.SameAs(before), "the last good catalog stays, the same instance");
            Assert.That(store.RejectedDiagnostics.Select(d => (Path.GetFileName(d.File), d.Rule, d.Line)), Is.EqualTo(new[] { ("devices.yaml", "validity", 6) }));
        });
        (LogLevel level, EventId eventId, string message) = _logger.Entries.Last();
        Assert.Multiple(() =>
        {
            Assert.That(level, Is.EqualTo(LogLevel.Error));
            Assert.That(eventId.Id, Is.EqualTo(4002));
            Assert.That(message, Does.Contain(store.RejectedDiagnostics[0].ToString()).And.Contain("last good set stays in force"));
        });
    }

    [Test]
    public void Poll_BrokenEditThenFixed_FixedSetLoadedAndRejectionCleared()
    {
        using ProfileStore store = CreateStore();
        Edit(Profile("2.999.42.5") with { PolicyOid = "bad-oid" });
        _time.Advance(PollInterval);
        Assert.That(store.RejectedDiagnostics, Is.Not.Empty, "precondition: the broken edit was rejected");

        Edit(Profile("2.999.42.6"));
        _time.Advance(PollInterval);

        Assert.Multiple(() =>
        {
            Assert.That(PolicyOid(store), Is.EqualTo("2.999.42.6"));
            Assert.That(store.RejectedDiagnostics, Is.Empty);
        });
    }

    [Test]
    public void ReloadIfChanged_BrokenEditUnchanged_NotReportedAgain()
    {
        using ProfileStore store = CreateStore();
        Edit(Profile("2.999.42.7") with { Validity = "0d" });
        store.ReloadIfChanged();
        int entries = _logger.Entries.Count;

        _time.Advance(PollInterval * 2);

        Assert.That(_logger.Entries, Has.Count.EqualTo(entries), "the same broken set is judged once");
    }

    [Test]
    public void ReloadToken_AcceptedReload_Fires()
    {
        using ProfileStore store = CreateStore();
        IChangeToken token = store.ReloadToken;
        int callbacks = 0;
        using IDisposable registration = token.RegisterChangeCallback(_ => Interlocked.Increment(ref callbacks), null);
        Edit(Profile("2.999.42.8"));

        store.ReloadIfChanged();

        Assert.Multiple(() =>
        {
            Assert.That(token.HasChanged, Is.True);
            Assert.That(callbacks, Is.EqualTo(1));
            Assert.That(store.ReloadToken.HasChanged, Is.False, "a fresh token waits for the next reload");
        });
    }

    [Test]
    public void ReloadToken_RejectedReload_FiresToo()
    {
        using ProfileStore store = CreateStore();
        IChangeToken token = store.ReloadToken;
        Edit(Profile("2.999.42.9") with { Validity = "0d" });

        store.ReloadIfChanged();

        Assert.That(token.HasChanged, Is.True);
    }

    [Test]
    public void ReloadIfChanged_FileAdded_NewProfileServed()
    {
        using ProfileStore store = CreateStore();
        File.WriteAllText(Path.Combine(_directory, "meters.yaml"), new TestProfile { Name = "meters", Labels = ["meters"] }.ToYaml());

        Assert.That(store.ReloadIfChanged(), Is.True);
        Assert.That(store.Current.TryResolve("meters", out _), Is.True);
    }

    [Test]
    public void ReloadIfChanged_FileRemoved_ProfileNoLongerServed()
    {
        using ProfileStore store = CreateStore();
        File.Delete(Path.Combine(_directory, "other.yaml"));

        Assert.That(store.ReloadIfChanged(), Is.True);
        Assert.That(store.Current.TryResolve("other", out _), Is.False);
    }

    [Test]
    public void ReloadIfChanged_DirectoryRemoved_RejectedLastGoodSetStays()
    {
        using ProfileStore store = CreateStore();
        ProfileCatalog before = store.Current;
        Directory.Delete(_directory, recursive: true);

        bool reloaded = store.ReloadIfChanged();

        Assert.Multiple(() =>
        {
            Assert.That(reloaded, Is.False);
            Assert.That(store.Current, Is.SameAs(before));
            Assert.That(store.RejectedDiagnostics.Select(d => d.Rule), Is.EqualTo(new[] { "directory" }));
        });
    }

    [Test]
    public void Dispose_AfterDispose_TimerNoLongerPolls()
    {
        ProfileStore store = CreateStore();
        store.Dispose();
        Edit(Profile("2.999.42.10"));

        _time.Advance(PollInterval * 2);

        Assert.That(_logger.Entries, Has.Count.EqualTo(1), "no reload after dispose");
    }

    private static TestProfile Profile(string policyOid) => new() { Name = "devices", Labels = ["devices"], Default = true, PolicyOid = policyOid };

    private static string PolicyOid(ProfileStore store) => PolicyOid(store.Current);

    private static string PolicyOid(ProfileCatalog catalog) =>
        catalog.TryGetByName("devices", out CertificateProfile profile) ? profile.Policies[0].Oid : "(no devices profile)";

    private ProfileStore CreateStore() => new(_directory, _kit.Context, _time, PollInterval, _logger);

    private void Edit(TestProfile profile) => File.WriteAllText(Path.Combine(_directory, profile.Name + ".yaml"), profile.ToYaml());
}
