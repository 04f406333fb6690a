using EstServer.Core.Profiles;
using EstServer.Core.Profiles.Loading;
using EstServer.Core.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.Core.Tests.Profiles.Loading;

public class ProfileDirectoryLoaderTests
{
    private ProfileKit _kit = null!;
    private int _directories;

    [OneTimeSetUp]
    public void CreateKit() => _kit = new ProfileKit();

    [OneTimeTearDown]
    public void DisposeKit() => _kit.Dispose();

    [Test]
    public void Load_ValidProfiles_CatalogRoutesEachLabelAndDefault()
    {
        string directory = Write(
            new TestProfile { Name = "devices", Labels = ["devices", "d"], Default = true },
            new TestProfile { Name = "gateways", Labels = ["gateways"] });

        ProfileLoadResult result = ProfileDirectoryLoader.Load(directory, _kit.Context);

        Assert.That(result.IsValid, Is.True, string.Join("\n", result.Diagnostics));
        ProfileCatalog catalog = result.Catalog!;
        Assert.Multiple(() =>
        {
            Assert.That(catalog.Profiles.Select(p => p.Name), Is.EqualTo(new[] { "devices", "gateways" }), "in file-name order");
            Assert.That(catalog.TryResolve("d", out CertificateProfile d) ? d.Name : null, Is.EqualTo("devices"));
            Assert.That(catalog.TryResolve("gateways", out CertificateProfile g) ? g.Name : null, Is.EqualTo("gateways"));
            Assert.That(catalog.Unlabelled?.Name, Is.EqualTo("devices"));
            Assert.That(catalog.Profiles[0].SourceFile, Is.EqualTo(Path.Combine(directory, "devices.yaml")));
        });
    }

    [Test]
    public void Load_NoDefaultProfile_NoUnlabelledRoute()
    {
        ProfileLoadResult result = ProfileDirectoryLoader.Load(Write(new TestProfile { Name = "only", Labels = ["only"] }), _kit.Context);

        Assert.That(result.IsValid, Is.True, string.Join("\n", result.Diagnostics));
        Assert.That(result.Catalog!.Unlabelled, Is.Null);
    }

    [Test]
    public void Load_DuplicateName_ReportedAtTheSecondFileNamingTheFirst()
    {
        string directory = NewDirectory();
        string first = Path.Combine(directory, "a.yaml");
        string second = Path.Combine(directory, "b.yaml");
        File.WriteAllText(first, new TestProfile { Name = "same", Labels = ["one"] }.ToYaml());
        File.WriteAllText(second, new TestProfile { Name = "same", Labels = ["two"] }.ToYaml());

        ProfileLoadResult result = ProfileDirectoryLoader.Load(directory, _kit.Context);

        Assert.Multiple(() =>
        {
            Assert.That(result.Diagnostics, Is.EqualTo(new[]
            {
                new ProfileDiagnostic(second, 1, 7, "duplicate-name", $"profile name 'same' is already used by {first}"),
            }).AsCollection);
            Assert.That(result.Catalog, Is.Null);
            Assert.That(result.IsValid, Is.False);
        });
    }

    [Test]
    public void Load_DuplicateLabel_ReportedAtTheSecondWithReferenceToTheFirst()
    {
        string directory = Write(
            new TestProfile { Name = "a", Labels = ["shared"] },
            new TestProfile { Name = "b", Labels = ["own", "shared"] });

        ProfileLoadResult result = ProfileDirectoryLoader.Load(directory, _kit.Context);

        string first = Path.Combine(directory, "a.yaml");
        Assert.That(result.Diagnostics, Is.EqualTo(new[]
        {
            new ProfileDiagnostic(Path.Combine(directory, "b.yaml"), 2, 15, "duplicate-label", $"label 'shared' is already served by profile 'a' ({first}:2)"),
        }).AsCollection);
        Assert.That(result.Catalog, Is.Null);
    }

    [Test]
    public void Load_TwoDefaultProfiles_ReportedAtTheSecond()
    {
        string directory = Write(
            new TestProfile { Name = "a", Labels = ["a"], Default = true },
            new TestProfile { Name = "b", Labels = ["b"], Default = true });

        ProfileLoadResult result = ProfileDirectoryLoader.Load(directory, _kit.Context);

        Assert.That(result.Diagnostics, Is.EqualTo(new[]
        {
            new ProfileDiagnostic(Path.Combine(directory, "b.yaml"), 3, 10, "duplicate-default",
                $"profile 'a' ({Path.Combine(directory, "a.yaml")}) already serves the unlabelled route"),
        }).AsCollection);
        Assert.That(result.Catalog, Is.Null);
    }

    [Test]
    public void Load_ProblemsInSeveralFilesAndBetweenThem_AllReportedInOneRun()
    {
        string directory = Write(
            new TestProfile { Name = "a", Labels = ["shared"], Validity = "0d", KeyUsage = "[keyCertSign]" },
            new TestProfile { Name = "b", Labels = ["shared"], PolicyOid = "not-an-oid" });

        ProfileLoadResult result = ProfileDirectoryLoader.Load(directory, _kit.Context);

        Assert.That(result.Diagnostics.Select(d => (Path.GetFileName(d.File), d.Rule)), Is.EquivalentTo(new[]
        {
            ("a.yaml", "validity"),
            ("a.yaml", "keyUsage"),
            ("b.yaml", "policies.oid"),
            ("b.yaml", "duplicate-label"),
        }));
        Assert.That(result.Catalog, Is.Null, "one bad file rejects the whole set");
    }

    [Test]
    public void Load_OneValidAndOneInvalidFile_NoCatalog()
    {
        string directory = Write(new TestProfile { Name = "good", Labels = ["good"] }, new TestProfile { Name = "bad", Labels = ["bad"], Validity = "1y" });

        ProfileLoadResult result = ProfileDirectoryLoader.Load(directory, _kit.Context);

        Assert.Multiple(() =>
        {
            Assert.That(result.Catalog, Is.Null);
            Assert.That(result.Diagnostics.Select(d => Path.GetFileName(d.File)).Distinct(), Is.EqualTo(new[] { "bad.yaml" }));
        });
    }

    [Test]
    public void Load_MissingDirectory_DirectoryDiagnosticWithoutLine()
    {
        string missing = Path.Combine(_kit.Directory.Path, "no-such-directory");

        ProfileLoadResult result = ProfileDirectoryLoader.Load(missing, _kit.Context);

        Assert.Multiple(() =>
        {
            Assert.That(result.Diagnostics, Is.EqualTo(new[] { new ProfileDiagnostic(missing, 0, 0, "directory", "profile directory does not exist") }).AsCollection);
            Assert.That(result.Catalog, Is.Null);
            Assert.That(result.Diagnostics[0].ToString(), Is.EqualTo($"{missing}: error [directory]: profile directory does not exist"));
        });
    }

    [Test]
    public void Load_EmptyDirectory_NoProfileFilesDiagnostic()
    {
        string directory = NewDirectory();

        ProfileLoadResult result = ProfileDirectoryLoader.Load(directory, _kit.Context);

        Assert.That(result.Diagnostics, Is.EqualTo(new[] { new ProfileDiagnostic(directory, 0, 0, "directory", "no profile files (*.yaml) in the directory") }).AsCollection);
        Assert.That(result.Catalog, Is.Null);
    }

    [Test]
    public void Load_OnlyHiddenAndOtherFiles_NoProfileFilesDiagnostic()
    {
        string directory = NewDirectory();
        File.WriteAllText(Path.Combine(directory, ".hidden.yaml"), new TestProfile { Name = "hidden" }.ToYaml());
        File.WriteAllText(Path.Combine(directory, "readme.txt"), "profiles go here");

        ProfileLoadResult result = ProfileDirectoryLoader.Load(directory, _kit.Context);

        Assert.That(result.Diagnostics.Select(d => d.Rule), Is.EqualTo(new[] { "directory" }));
    }

    [Test]
    public void Load_HiddenFilesAndNonYamlFiles_Ignored()
    {
        string directory = Write(new TestProfile { Name = "real", Labels = ["real"] });
        File.WriteAllText(Path.Combine(directory, ".real.yaml.swp"), "editor swap: [unclosed");
        File.WriteAllText(Path.Combine(directory, ".draft.yaml"), "name: [unclosed");
        File.WriteAllText(Path.Combine(directory, "notes.txt"), "name: [unclosed");
        File.WriteAllText(Path.Combine(directory, "real.yaml.bak"), "name: [unclosed");
        File.WriteAllText(Path.Combine(directory, "UPPER.YAML"), "name: [unclosed");

        ProfileLoadResult result = ProfileDirectoryLoader.Load(directory, _kit.Context);

        Assert.That(result.IsValid, Is.True, string.Join("\n", result.Diagnostics));
        Assert.That(result.Catalog!.Profiles.Select(p => p.Name), Is.EqualTo(new[] { "real" }));
    }

    [Test]
    public void Load_YmlExtension_Loaded()
    {
        string directory = NewDirectory();
        File.WriteAllText(Path.Combine(directory, "short.yml"), new TestProfile { Name = "short", Labels = ["short"] }.ToYaml());

        ProfileLoadResult result = ProfileDirectoryLoader.Load(directory, _kit.Context);

        Assert.That(result.IsValid, Is.True, string.Join("\n", result.Diagnostics));
        Assert.That(result.Catalog!.Profiles.Select(p => p.Name), Is.EqualTo(new[] { "short" }));
    }

    [Test]
    public void ProfileFiles_MixedNames_OrdinalOrderOfProfileFilesOnly()
    {
        string directory = NewDirectory();
        foreach (string name in new[] { "b.yaml", "a.yml", "B.yaml", ".c.yaml", "d.json" })
        {
            File.WriteAllText(Path.Combine(directory, name), "x");
        }

        Assert.That(ProfileDirectoryLoader.ProfileFiles(directory).Select(Path.GetFileName), Is.EqualTo(new[] { "B.yaml", "a.yml", "b.yaml" }));
    }

    [Test]
    public void Load_ShippedExampleProfiles_LoadWithoutDiagnostics()
    {
        string shipped = Path.Combine(RepositoryPaths.Root, "config", "profiles");
        ProfileLoadContext context = _kit.Context with { IssuingCaLifetime = TimeSpan.FromDays(3 * 365) };

        ProfileLoadResult result = ProfileDirectoryLoader.Load(shipped, context);

        Assert.That(result.Diagnostics, Is.Empty, string.Join("\n", result.Diagnostics));
        ProfileCatalog catalog = result.Catalog!;
        Assert.Multiple(() =>
        {
            Assert.That(catalog.Profiles.Select(p => p.Name), Is.EquivalentTo(new[] { "constrained", "field-device", "gateway" }));
            Assert.That(catalog.Unlabelled?.Name, Is.EqualTo("field-device"));
            Assert.That(catalog.Labels, Is.EquivalentTo(new[] { "constrained", "field-device", "gateway" }));
            Assert.That(catalog.Profiles.All(p => p.DeviceIdentityAnchors.Roots.Count == 1), Is.True, "dev:manufacturer resolved");
        });
    }

    private string NewDirectory() => _kit.NewDirectory($"set-{Interlocked.Increment(ref _directories)}");

    private string Write(params TestProfile[] profiles) => TestProfile.WriteDirectory(NewDirectory(), profiles);
}
