using EstServer.Core.Pipeline;

namespace EstServer.Core.Tests.Pipeline;

public class SigningRequestIdTests
{
    private static readonly byte[] Client = [0x30, 0x03, 0x01, 0x02, 0x03];
    private static readonly byte[] Csr = [0x30, 0x02, 0x04, 0x05];

    [Test]
    public void Derive_SameInputs_SameId()
    {
        string first = SigningRequestId.Derive(EnrollmentKind.Enroll, "devices", Client, Csr);
        string second = SigningRequestId.Derive(EnrollmentKind.Enroll, "devices", [.. Client], [.. Csr]);

        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void Derive_AnyInputs_Is40LowercaseHexCharacters()
    {
        Assert.That(SigningRequestId.Derive(EnrollmentKind.Reenroll, "devices", Client, Csr), Does.Match("^[0-9a-f]{40}$"));
    }

    [Test]
    public void Derive_EachFieldChanged_GivesDifferentId()
    {
        string baseline = SigningRequestId.Derive(EnrollmentKind.Enroll, "devices", Client, Csr);

        string[] variants =
        [
            SigningRequestId.Derive(EnrollmentKind.Reenroll, "devices", Client, Csr),
            SigningRequestId.Derive(EnrollmentKind.Enroll, "meters", Client, Csr),
            SigningRequestId.Derive(EnrollmentKind.Enroll, "devices", [0x30, 0x03, 0x01, 0x02, 0x04], Csr),
            SigningRequestId.Derive(EnrollmentKind.Enroll, "devices", Client, [0x30, 0x02, 0x04, 0x06]),
        ];

        Assert.That(variants, Has.None.EqualTo(baseline));
        Assert.That(variants, Is.Unique);
    }

    [Test]
    public void Derive_SameBytesSplitDifferentlyBetweenFields_GivesDifferentIds()
    {
        // Without length prefixes "ab"+"c" and "a"+"bc" would hash alike.
        string a = SigningRequestId.Derive(EnrollmentKind.Enroll, "ab", "c"u8, Csr);
        string b = SigningRequestId.Derive(EnrollmentKind.Enroll, "a", "bc"u8, Csr);
        string c = SigningRequestId.Derive(EnrollmentKind.Enroll, "a", "b"u8, "c"u8);
        string d = SigningRequestId.Derive(EnrollmentKind.Enroll, "a", "bc"u8, []);

        Assert.That(new[] { a, b, c, d }, Is.Unique);
    }
}
