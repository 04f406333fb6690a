using EstServer.Core.Tests.Support;
using EstServer.Core.Wire;
using EstServer.TestSupport;

namespace EstServer.Core.Tests.Wire;

public class DerStructureGuardTests
{
    private static readonly byte[] SmallSequence = [0x30, 0x03, 0x02, 0x01, 0x05];

    [TestCase(TestKeyType.EcP256)]
    [TestCase(TestKeyType.EcP384)]
    [TestCase(TestKeyType.Rsa2048)]
    [TestCase(TestKeyType.Ed25519)]
    public void IsWellFormed_RealCsr_ReturnsTrue(TestKeyType keyType)
    {
        byte[] der = TestCsr.Create("CN=guard-device, O=EstServer Tests, C=DE", keyType, ["guard.example", "alt.guard.example"]).Der;

        bool wellFormed = DerStructureGuard.IsWellFormed(der, out string? problem);

        Assert.Multiple(() =>
        {
            Assert.That(wellFormed, Is.True, problem);
            Assert.That(problem, Is.Null);
        });
    }

    [Test]
    public void IsWellFormed_RealCertificatesAndCertsOnly_ReturnsTrue()
    {
        using TestCaHierarchy pki = TestCaHierarchy.Create(TestKeyType.Rsa2048, "Guard");
        using var leaf = TestCertificates.CreateClient(pki.IssuingCertificate, "CN=guard-leaf", dnsNames: ["leaf.example"]);

        foreach (byte[] der in new[] { pki.Root.RawData, pki.IssuingCertificate.RawData, leaf.RawData, pki.Ca.CertsOnlyDer })
        {
            Assert.That(DerStructureGuard.IsWellFormed(der, out string? problem), Is.True, problem);
        }
    }

    [Test]
    public void IsWellFormed_ThousandNestedSequenceHeaders_ReturnsFalse()
    {
        byte[] der = Der.Nested(1000);

        bool wellFormed = DerStructureGuard.IsWellFormed(der, out string? problem);

        Assert.Multiple(() =>
        {
            Assert.That(der, Has.Length.LessThanOrEqualTo(64 * 1024));
            Assert.That(wellFormed, Is.False);
            Assert.That(problem, Does.Contain("nesting deeper than 32"));
        });
    }

    [Test]
    public void IsWellFormed_64KiBOfNestedSequenceHeaders_ReturnsFalse()
    {
        // The worst a request-size limit of 64 KiB lets through: about 16 000 levels, each a valid header.
        byte[] der = Der.Nested(16_000);

        bool wellFormed = DerStructureGuard.IsWellFormed(der, out string? problem);

        Assert.Multiple(() =>
        {
            Assert.That(der, Has.Length.InRange(60 * 1024, 64 * 1024));
            Assert.That(wellFormed, Is.False);
            Assert.That(problem, Does.Contain("nesting"));
        });
    }

    [Test]
    public void IsWellFormed_NestingExactlyAtLimit_ReturnsTrue()
    {
        Assert.That(DerStructureGuard.IsWellFormed(Der.Nested(DerStructureGuard.DefaultMaxDepth), out string? problem), Is.True, problem);
    }

    [Test]
    public void IsWellFormed_NestingOneBeyondLimit_ReturnsFalse()
    {
        Assert.That(DerStructureGuard.IsWellFormed(Der.Nested(DerStructureGuard.DefaultMaxDepth + 1), out _), Is.False);
    }

    [Test]
    public void IsWellFormed_CustomMaxDepth_IsHonoured()
    {
        byte[] five = Der.Nested(5);

        Assert.Multiple(() =>
        {
            Assert.That(DerStructureGuard.IsWellFormed(five, out _, maxDepth: 5), Is.True);
            Assert.That(DerStructureGuard.IsWellFormed(five, out _, maxDepth: 4), Is.False);
        });
    }

    [Test]
    public void IsWellFormed_NestedContextSpecificTags_AreCountedToo()
    {
        // [0] constructed, as in explicit tagging: depth must not be bypassable by choosing another tag.
        Assert.That(DerStructureGuard.IsWellFormed(Der.Nested(1000, tag: 0xA0), out string? problem), Is.False);
        Assert.That(problem, Does.Contain("nesting"));
    }

    [Test]
    public void IsWellFormed_TruncatedCsr_ReturnsFalse()
    {
        byte[] der = TestCsr.Create("CN=truncated").Der;

        bool wellFormed = DerStructureGuard.IsWellFormed(der.AsSpan(0, der.Length - 1), out string? problem);

        Assert.Multiple(() =>
        {
            Assert.That(wellFormed, Is.False);
            Assert.That(problem, Does.Contain("runs past the end"));
        });
    }

    [TestCase(new byte[] { 0x30 }, "truncated DER length", TestName = "IsWellFormed_TagWithoutLength_ReturnsFalse")]
    [TestCase(new byte[] { 0x30, 0x82, 0x01 }, "out of range", TestName = "IsWellFormed_TruncatedLongFormLength_ReturnsFalse")]
    [TestCase(new byte[] { 0x30, 0x05, 0x02, 0x01 }, "runs past the end", TestName = "IsWellFormed_ContentShorterThanLength_ReturnsFalse")]
    [TestCase(new byte[] { 0x30, 0x03, 0x02, 0x05, 0x00 }, "runs past the end", TestName = "IsWellFormed_ChildLongerThanParent_ReturnsFalse")]
    [TestCase(new byte[] { 0x30, 0x02, 0x02 }, "runs past the end", TestName = "IsWellFormed_ParentLongerThanInput_ReturnsFalse")]
    [TestCase(new byte[] { 0x30, 0x01, 0x02 }, "truncated DER length", TestName = "IsWellFormed_ChildHeaderCutByParentEnd_ReturnsFalse")]
    public void IsWellFormed_TruncatedEncoding_ReturnsFalse(byte[] der, string expectedProblem)
    {
        bool wellFormed = DerStructureGuard.IsWellFormed(der, out string? problem);

        Assert.Multiple(() =>
        {
            Assert.That(wellFormed, Is.False);
            Assert.That(problem, Does.Contain(expectedProblem));
        });
    }

    [Test]
    public void IsWellFormed_IndefiniteLength_ReturnsFalse()
    {
        bool wellFormed = DerStructureGuard.IsWellFormed([0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00], out string? problem);

        Assert.Multiple(() =>
        {
            Assert.That(wellFormed, Is.False);
            Assert.That(problem, Does.Contain("indefinite length"));
        });
    }

    [Test]
    public void IsWellFormed_NestedIndefiniteLengths_ReturnsFalse()
    {
        byte[] der = Enumerable.Repeat(new byte[] { 0x30, 0x80 }, 1000).SelectMany(header => header).ToArray();

        Assert.That(DerStructureGuard.IsWellFormed(der, out string? problem), Is.False);
        Assert.That(problem, Does.Contain("indefinite"));
    }

    [Test]
    public void IsWellFormed_TrailingByteAfterCsr_ReturnsFalse()
    {
        byte[] der = [.. TestCsr.Create("CN=trailing").Der, 0x00];

        bool wellFormed = DerStructureGuard.IsWellFormed(der, out string? problem);

        Assert.Multiple(() =>
        {
            Assert.That(wellFormed, Is.False);
            Assert.That(problem, Does.Contain("trailing data"));
        });
    }

    [Test]
    public void IsWellFormed_TwoConcatenatedValues_ReturnsFalse()
    {
        Assert.That(DerStructureGuard.IsWellFormed(Der.Concat(SmallSequence, SmallSequence), out string? problem), Is.False);
        Assert.That(problem, Does.Contain("trailing data"));
    }

    [Test]
    public void IsWellFormed_LengthOfFourOctets_ReturnsFalse()
    {
        bool wellFormed = DerStructureGuard.IsWellFormed([0x04, 0x84, 0x00, 0x00, 0x00, 0x01, 0xAA], out string? problem);

        Assert.Multiple(() =>
        {
            Assert.That(wellFormed, Is.False);
            Assert.That(problem, Does.Contain("out of range"));
        });
    }

    [Test]
    public void IsWellFormed_HugeLengthClaim_ReturnsFalse()
    {
        bool wellFormed = DerStructureGuard.IsWellFormed([0x30, 0x83, 0xFF, 0xFF, 0xFF, 0x02, 0x01, 0x00], out string? problem);

        Assert.Multiple(() =>
        {
            Assert.That(wellFormed, Is.False);
            Assert.That(problem, Does.Contain("runs past the end"));
        });
    }

    // X.690 §10.1: DER lengths use the minimum number of octets. The class documentation promises to
    // reject "overlong lengths, which DER forbids".
    [TestCase(new byte[] { 0x30, 0x81, 0x03, 0x02, 0x01, 0x05 }, TestName = "IsWellFormed_LongFormForShortLength_ReturnsFalse")]
    [TestCase(new byte[] { 0x30, 0x82, 0x00, 0x03, 0x02, 0x01, 0x05 }, TestName = "IsWellFormed_LengthWithLeadingZeroOctet_ReturnsFalse")]
    public void IsWellFormed_NonMinimalLength_ReturnsFalse(byte[] der)
    {
        Assert.That(DerStructureGuard.IsWellFormed(der, out _), Is.False);
    }

    [Test]
    public void IsWellFormed_Empty_ReturnsFalse()
    {
        bool wellFormed = DerStructureGuard.IsWellFormed([], out string? problem);

        Assert.Multiple(() =>
        {
            Assert.That(wellFormed, Is.False);
            Assert.That(problem, Does.Contain("empty"));
        });
    }

    [Test]
    public void IsWellFormed_HighTagNumberWithTooManyDigits_ReturnsFalse()
    {
        bool wellFormed = DerStructureGuard.IsWellFormed([0x9F, 0x81, 0x81, 0x81, 0x81, 0x01, 0x00], out string? problem);

        Assert.Multiple(() =>
        {
            Assert.That(wellFormed, Is.False);
            Assert.That(problem, Does.Contain("malformed DER tag"));
        });
    }

    [Test]
    public void IsWellFormed_HighTagNumberForm_ReturnsTrue()
    {
        // [APPLICATION 200] IMPLICIT, constructed, holding an INTEGER: tag number in two base-128 digits.
        Assert.That(DerStructureGuard.IsWellFormed([0x7F, 0x81, 0x48, 0x03, 0x02, 0x01, 0x05], out string? problem), Is.True, problem);
    }

    [Test]
    public void IsWellFormed_PrimitiveWithNestedLookingContent_DoesNotDescend()
    {
        // OCTET STRING content is opaque: nesting inside it is the business of whoever parses the content.
        byte[] nested = Der.Nested(100);
        byte[] der = Der.Concat([0x04], Der.Length(nested.Length), nested);

        Assert.That(DerStructureGuard.IsWellFormed(der, out string? problem), Is.True, problem);
    }
}
