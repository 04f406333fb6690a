using System.Formats.Asn1;
using EstServer.Core.Errors;
using EstServer.Core.Issuance;
using EstServer.Core.Pipeline;
using EstServer.Core.Profiles;
using EstServer.Core.Profiles.Loading;
using EstServer.Core.Tests.Support;
using EstServer.Core.Trust;
using EstServer.TestSupport;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using static EstServer.Core.Tests.Support.RequestFactory;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace EstServer.Core.Tests.Profiles;

/// <summary>
/// The csrattrs answer, decoded independently of BouncyCastle with System.Formats.Asn1 (strict DER) against
/// RFC 7030 §4.5.2 and RFC 9908, and shown to describe a CSR the same profile then accepts.
/// </summary>
public class CsrAttributesTests
{
    private const string EcPublicKey = "1.2.840.10045.2.1";
    private const string P256 = "1.2.840.10045.3.1.7";
    private const string P384 = "1.3.132.0.34";
    private const string RsaEncryption = "1.2.840.113549.1.1.1";
    private const string Ed25519 = "1.3.101.112";
    private const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";
    private const string Sha256WithRsa = "1.2.840.113549.1.1.11";
    private const string Cn = "2.5.4.3";
    private const string O = "2.5.4.10";
    private const string Ou = "2.5.4.11";
    private const string SerialNumber = "2.5.4.5";
    private const string SubjectAltNameOid = "2.5.29.17";

    private ProfileKit _kit = null!;
    private ProfileCatalog _shipped = null!;
    private TestCaHierarchy _pki = null!;
    private DateTimeOffset _now;

    [OneTimeSetUp]
    public void LoadShippedProfiles()
    {
        _kit = new ProfileKit();
        _pki = TestCaHierarchy.Create(name: "Csrattrs");
        _now = DateTimeOffset.UtcNow;
        ProfileLoadResult result = ProfileDirectoryLoader.Load(Path.Combine(RepositoryPaths.Root, "config", "profiles"), _kit.Context);
        Assert.That(result.IsValid, Is.True, string.Join("\n", result.Diagnostics));
        _shipped = result.Catalog!;
    }

    [OneTimeTearDown]
    public void Dispose()
    {
        _pki.Dispose();
        _kit.Dispose();
    }

    [Test]
    public void Encode_FieldDevice_LegacyItemsListKeysAndSignatureAlgorithm()
    {
        Advertised advertised = Decode(CsrAttributes.Encode(Shipped("field-device")));

        Assert.Multiple(() =>
        {
            Assert.That(advertised.Attributes.Select(a => a.Oid), Is.EqualTo(new[] { EcPublicKey, RsaEncryption, CsrAttributes.TemplateOid }), "attributes, in this order");
            Assert.That(OidValues(advertised.Attribute(EcPublicKey)), Is.EquivalentTo(new[] { P256, P384 }), "RFC 9908 §3.3: the curves as values of id-ecPublicKey");
            Assert.That(IntegerValues(advertised.Attribute(RsaEncryption)), Is.EqualTo(new[] { 2048 }), "the minimum RSA size");
            Assert.That(advertised.Oids, Is.EqualTo(new[] { Ed25519, EcdsaWithSha256 }), "bare OIDs: Ed25519 allowed, sign the CSR with ecdsa-with-SHA256");
            Assert.That(advertised.Attribute(CsrAttributes.TemplateOid), Has.Count.EqualTo(1), "exactly one template");
        });
    }

    [Test]
    public void Encode_FieldDevice_TemplateCarriesVersionAndRequiredSubject()
    {
        Template template = ReadTemplate(Decode(CsrAttributes.Encode(Shipped("field-device"))));

        Assert.Multiple(() =>
        {
            Assert.That(template.Version, Is.Zero);
            Assert.That(template.Subject, Is.EqualTo(new (string, string?)[] { (O, "Example Devices"), (Cn, null), (SerialNumber, null) }),
                "fixed value filled in; required and client-certificate attributes named without value; optional ones left out");
            Assert.That(template.HasKeyTemplate, Is.True);
            Assert.That(template.ExtensionTemplates, Is.Empty, "a subjectAltName is allowed, not required");
            Assert.That(template.Attributes, Is.Empty, "[1] attributes present and empty");
        });
    }

    [Test]
    public void Encode_FieldDevice_KeyTemplateIsAlgorithmIdentifierOfPreferredCurve()
    {
        // RFC 9908: subjectPKInfo [0] SubjectPublicKeyInfoTemplate, a SEQUENCE { algorithm AlgorithmIdentifier,
        // subjectPublicKey BIT STRING OPTIONAL } under an IMPLICIT tag: [0] holds an AlgorithmIdentifier SEQUENCE.
        Template template = ReadTemplate(Decode(CsrAttributes.Encode(Shipped("field-device"))));

        Assert.That(template.KeyTemplate, Is.Not.Null);
        Assert.That(ReadKeyTemplate(template.KeyTemplate!.Value), Is.EqualTo((EcPublicKey, (string?)P256, false)));
    }

    [Test]
    public void Encode_Gateway_ExtensionRequestTemplateForRequiredSubjectAltName()
    {
        Template template = ReadTemplate(Decode(CsrAttributes.Encode(Shipped("gateway"))));

        Assert.Multiple(() =>
        {
            Assert.That(template.Subject, Is.EqualTo(new (string, string?)[] { (O, "Example Devices"), (Ou, "Gateways"), (Cn, null) }));
            Assert.That(template.Attributes.Select(a => a.Oid), Is.EqualTo(new[] { CsrAttributes.ExtensionRequestTemplateOid }));
            Assert.That(template.ExtensionTemplates, Is.EqualTo(new[] { (SubjectAltNameOid, false, false) }),
                "extnID only: critical DEFAULT FALSE omitted, extnValue left for the client");
        });
    }

    [Test]
    public void Encode_Constrained_LegacyItemsAndTemplate()
    {
        Advertised advertised = Decode(CsrAttributes.Encode(Shipped("constrained")));
        Template template = ReadTemplate(advertised);

        Assert.Multiple(() =>
        {
            Assert.That(advertised.Attributes.Select(a => a.Oid), Is.EqualTo(new[] { EcPublicKey, CsrAttributes.TemplateOid }), "no RSA");
            Assert.That(OidValues(advertised.Attribute(EcPublicKey)), Is.EqualTo(new[] { P256 }));
            Assert.That(advertised.Oids, Is.EqualTo(new[] { Ed25519, EcdsaWithSha256 }));
            Assert.That(template.Subject, Is.EqualTo(new (string, string?)[] { (Cn, null), (SerialNumber, null) }));
            Assert.That(template.ExtensionTemplates, Is.Empty);
        });
    }

    [Test]
    public void Encode_RsaOnlyProfile_RsaAdviceAndRsaKeyTemplate()
    {
        CertificateProfile profile = Profile(new KeyPolicy { AllowedCurves = new HashSet<string>(), AllowRsa = true, MinRsaBits = 3072, AllowEd25519 = false });

        Advertised advertised = Decode(CsrAttributes.Encode(profile));
        Template template = ReadTemplate(advertised);

        Assert.Multiple(() =>
        {
            Assert.That(advertised.Attributes.Select(a => a.Oid), Is.EqualTo(new[] { RsaEncryption, CsrAttributes.TemplateOid }));
            Assert.That(IntegerValues(advertised.Attribute(RsaEncryption)), Is.EqualTo(new[] { 3072 }));
            Assert.That(advertised.Oids, Is.EqualTo(new[] { Sha256WithRsa }));
        });
        Assert.That(ReadKeyTemplate(template.KeyTemplate!.Value), Is.EqualTo((RsaEncryption, (string?)null, true)), "rsaEncryption with NULL parameters");
    }

    [Test]
    public void Encode_Ed25519OnlyProfile_NoSignatureAdvice()
    {
        CertificateProfile profile = Profile(new KeyPolicy { AllowedCurves = new HashSet<string>(), AllowRsa = false, AllowEd25519 = true });

        Advertised advertised = Decode(CsrAttributes.Encode(profile));

        Assert.Multiple(() =>
        {
            Assert.That(advertised.Attributes.Select(a => a.Oid), Is.EqualTo(new[] { CsrAttributes.TemplateOid }));
            Assert.That(advertised.Oids, Is.EqualTo(new[] { Ed25519 }), "Ed25519 signs with itself; no separate signature OID");
        });
        Assert.That(ReadKeyTemplate(ReadTemplate(advertised).KeyTemplate!.Value), Is.EqualTo((Ed25519, (string?)null, false)));
    }

    [Test]
    public void Encode_ProfileCopyingCsrSubject_NoNameTemplate()
    {
        CertificateProfile profile = Profile(ModelProfiles.DeviceKeys) with { SubjectRules = null };

        Template template = ReadTemplate(Decode(CsrAttributes.Encode(profile)));

        Assert.That(template.Subject, Is.Null, "subject NameTemplate OPTIONAL, omitted");
    }

    [Test]
    public void Encode_RequiredSubjectAltNameNotHonoured_NoExtensionTemplate()
    {
        CertificateProfile profile = Profile(ModelProfiles.DeviceKeys) with
        {
            SubjectAltNameRules = [new SubjectAltNameRule { Type = SubjectAltNameType.Dns, Min = 1 }],
            CsrExtensions = new CsrExtensionPolicy { Default = CsrExtensionAction.Reject },
        };

        Assert.That(ReadTemplate(Decode(CsrAttributes.Encode(profile))).ExtensionTemplates, Is.Empty);
    }

    [Test]
    public void Encode_SameProfileTwice_SameBytes()
    {
        CertificateProfile profile = Shipped("gateway");
        byte[] first = CsrAttributes.Encode(profile);

        byte[] second = CsrAttributes.Encode(profile);

        Assert.That(second, Is.EqualTo(first));
    }

    [TestCase("field-device")]
    [TestCase("gateway")]
    [TestCase("constrained")]
    public void Encode_ShippedProfile_CsrBuiltFromTheAdviceIsAccepted(string name)
    {
        CertificateProfile profile = Shipped(name);
        BcCertificate idevid = Certificate(_pki.Issuer, Name((X509Name.CN, "idevid-42"), (X509Name.SerialNumber, "SN-0042")), null, _now.AddDays(-1), _now.AddYears(1));
        Template template = ReadTemplate(Decode(CsrAttributes.Encode(profile)));

        // What a client following RFC 9908 does: the key type the template names, the subject it lays
        // out with its own values filled in (here: one that every shipped pattern takes, and the
        // IDevID's serial number), and a subjectAltName where an extension template asks for one.
        (string algorithm, string? curve, bool _) = ReadKeyTemplate(template.KeyTemplate!.Value);
        TestKeyType key = (algorithm, curve) switch
        {
            (EcPublicKey, P256) => TestKeyType.EcP256,
            (EcPublicKey, P384) => TestKeyType.EcP384,
            (Ed25519, null) => TestKeyType.Ed25519,
            (RsaEncryption, null) => TestKeyType.Rsa2048,
            _ => throw new AssertionException($"unexpected key template {algorithm} {curve}"),
        };
        var subject = template.Subject!.Select(attribute => (new DerObjectIdentifier(attribute.Oid), attribute.Value ?? FillIn(attribute.Oid))).ToArray();
        X509Extensions? extensions = template.ExtensionTemplates.Any(e => e.Oid == SubjectAltNameOid)
            ? SubjectAltName(Dns("gw-0042.site-1.gateways.example.com"))
            : null;
        byte[] csrDer = TestCsr.Create(Name(subject), key, extensions).Der;

        Result<CertificateTemplate> built = CertificateTemplateBuilder.Build(RequestFactory.Decode(csrDer), profile, EnrollmentKind.Enroll, idevid, _pki.Ca, _now);

        Assert.That(built.IsSuccess, Is.True, built.Error?.Reason);
        Assert.That(built.Value.Subject.GetValueList(), Does.Contain("gw-0042"));
    }

    // ---- an independent reading of the encoding ----------------------------------------------

    private static string FillIn(string oid) => oid switch
    {
        Cn => "gw-0042",
        SerialNumber => "SN-0042",
        _ => throw new AssertionException($"the template asks for {oid} without a value; the test does not know what to fill in"),
    };

    private CertificateProfile Shipped(string name)
    {
        Assert.That(_shipped.TryGetByName(name, out CertificateProfile profile), Is.True, $"shipped profile {name}");
        return profile;
    }

    private static CertificateProfile Profile(KeyPolicy keys) => new()
    {
        Name = "synthetic",
        DeviceIdentityAnchors = new TrustAnchors("none", []),
        Policies = [],
        Validity = TimeSpan.FromDays(365),
        KeyUsage = KeyUsage.DigitalSignature,
        Keys = keys,
        SubjectRules = [new SubjectAttributeRule { Oid = Cn, Name = "CN", Required = true }],
    };

    /// <summary>CsrAttrs ::= SEQUENCE SIZE (0..MAX) OF AttrOrOID; AttrOrOID ::= CHOICE { oid OBJECT IDENTIFIER, attribute Attribute }.</summary>
    private static Advertised Decode(byte[] der)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        AsnReader items = outer.ReadSequence();
        Assert.That(outer.HasData, Is.False, "nothing after the CsrAttrs SEQUENCE");
        var attributes = new List<(string Oid, List<ReadOnlyMemory<byte>> Values)>();
        var oids = new List<string>();
        while (items.HasData)
        {
            if (items.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
            {
                oids.Add(items.ReadObjectIdentifier());
                continue;
            }

            attributes.Add(ReadAttribute(items));
        }

        return new Advertised(attributes, oids);
    }

    /// <summary>Attribute ::= SEQUENCE { type OID, values SET SIZE (1..MAX) OF ANY }.</summary>
    private static (string Oid, List<ReadOnlyMemory<byte>> Values) ReadAttribute(AsnReader reader)
    {
        AsnReader attribute = reader.ReadSequence();
        string oid = attribute.ReadObjectIdentifier();
        AsnReader set = attribute.ReadSetOf();
        Assert.That(attribute.HasData, Is.False, $"attribute {oid}: nothing after the values");
        var values = new List<ReadOnlyMemory<byte>>();
        while (set.HasData)
        {
            values.Add(set.ReadEncodedValue());
        }

        Assert.That(values, Is.Not.Empty, $"attribute {oid}: values SET SIZE (1..MAX)");
        return (oid, values);
    }

    /// <summary>CertificationRequestInfoTemplate ::= SEQUENCE { version, subject NameTemplate OPTIONAL, subjectPKInfo [0] OPTIONAL, attributes [1] }.</summary>
    private static Template ReadTemplate(Advertised advertised)
    {
        List<ReadOnlyMemory<byte>> values = advertised.Attribute(CsrAttributes.TemplateOid);
        Assert.That(values, Has.Count.EqualTo(1));
        var outer = new AsnReader(values[0], AsnEncodingRules.DER);
        AsnReader template = outer.ReadSequence();
        Assert.That(outer.HasData, Is.False);
        int version = (int)template.ReadInteger();

        List<(string, string?)>? subject = null;
        if (template.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            subject = [];
            AsnReader rdns = template.ReadSequence();
            while (rdns.HasData)
            {
                AsnReader rdn = rdns.ReadSetOf();
                AsnReader single = rdn.ReadSequence();
                Assert.That(rdn.HasData, Is.False, "one attribute per RDN");
                string type = single.ReadObjectIdentifier();
                string? value = single.HasData ? single.ReadCharacterString((UniversalTagNumber)single.PeekTag().TagValue) : null;
                Assert.That(single.HasData, Is.False);
                subject.Add((type, value));
            }
        }

        ReadOnlyMemory<byte>? keyTemplate = null;
        var keyTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        if (template.HasData && template.PeekTag() == keyTag)
        {
            keyTemplate = template.ReadEncodedValue();
        }

        var attributes = new List<(string Oid, List<ReadOnlyMemory<byte>> Values)>();
        AsnReader attributeSet = template.ReadSetOf(new Asn1Tag(TagClass.ContextSpecific, 1));
        Assert.That(template.HasData, Is.False, "nothing after [1] attributes");
        while (attributeSet.HasData)
        {
            attributes.Add(ReadAttribute(attributeSet));
        }

        var extensionTemplates = new List<(string Oid, bool Critical, bool HasValue)>();
        foreach ((string oid, List<ReadOnlyMemory<byte>> attributeValues) in attributes.Where(a => a.Oid == CsrAttributes.ExtensionRequestTemplateOid))
        {
            // ExtensionReqTemplate ::= SEQUENCE SIZE (1..MAX) OF ExtensionTemplate
            Assert.That(attributeValues, Has.Count.EqualTo(1), oid);
            AsnReader list = new AsnReader(attributeValues[0], AsnEncodingRules.DER).ReadSequence();
            while (list.HasData)
            {
                AsnReader extension = list.ReadSequence();
                string extnId = extension.ReadObjectIdentifier();
                bool critical = extension.HasData && extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && extension.ReadBoolean();
                bool hasValue = extension.HasData;
                extensionTemplates.Add((extnId, critical, hasValue));
            }
        }

        return new Template(version, subject, keyTemplate, attributes, extensionTemplates);
    }

    /// <summary>[0] IMPLICIT SubjectPublicKeyInfoTemplate: the [0] contents are algorithm AlgorithmIdentifier, then an optional BIT STRING.</summary>
    private static (string Algorithm, string? Curve, bool NullParameters) ReadKeyTemplate(ReadOnlyMemory<byte> encoded)
    {
        var outer = new AsnReader(encoded, AsnEncodingRules.DER);
        AsnReader info = outer.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
        Assert.That(info.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence), Is.True,
            $"[0] must hold an AlgorithmIdentifier SEQUENCE; it holds {Convert.ToHexString(encoded.Span)}");
        AsnReader algorithm = info.ReadSequence();
        string oid = algorithm.ReadObjectIdentifier();
        string? curve = null;
        bool nullParameters = false;
        if (algorithm.HasData && algorithm.PeekTag().HasSameClassAndValue(Asn1Tag.Null))
        {
            algorithm.ReadNull();
            nullParameters = true;
        }
        else if (algorithm.HasData)
        {
            curve = algorithm.ReadObjectIdentifier();
        }

        Assert.That(algorithm.HasData, Is.False);
        return (oid, curve, nullParameters);
    }

    private static List<string> OidValues(List<ReadOnlyMemory<byte>> values) =>
        values.Select(v => new AsnReader(v, AsnEncodingRules.DER).ReadObjectIdentifier()).ToList();

    private static List<int> IntegerValues(List<ReadOnlyMemory<byte>> values) =>
        values.Select(v => (int)new AsnReader(v, AsnEncodingRules.DER).ReadInteger()).ToList();

    private sealed record Advertised(List<(string Oid, List<ReadOnlyMemory<byte>> Values)> Attributes, List<string> Oids)
    {
        public List<ReadOnlyMemory<byte>> Attribute(string oid) => Attributes.Single(a => a.Oid == oid).Values;
    }

    private sealed record Template(
        int Version,
        List<(string Oid, string? Value)>? Subject,
        ReadOnlyMemory<byte>? KeyTemplate,
        List<(string Oid, List<ReadOnlyMemory<byte>> Values)> Attributes,
        List<(string Oid, bool Critical, bool HasValue)> ExtensionTemplates)
    {
        public bool HasKeyTemplate => KeyTemplate is not null;
    }
}
