using System.Text;
using EstServer.Core.Wire;
using EstServer.TestSupport;

namespace EstServer.Core.Tests.Wire;

public class EstBase64Tests
{
    private byte[] _csrDer = [];

    [OneTimeSetUp]
    public void CreateCsr() => _csrDer = TestCsr.Create("CN=base64-device, O=EstServer Tests", dnsNames: ["device.example"]).Der;

    [TestCase(0, "\n", false, TestName = "TryDecode_SingleLineWithoutNewline_ReturnsDer")]
    [TestCase(0, "\n", true, TestName = "TryDecode_SingleLineWithTrailingLf_ReturnsDer")]
    [TestCase(0, "\r\n", true, TestName = "TryDecode_SingleLineWithTrailingCrlf_ReturnsDer")]
    [TestCase(64, "\n", true, TestName = "TryDecode_Lf64ColumnBody_ReturnsDer")]
    [TestCase(64, "\n", false, TestName = "TryDecode_Lf64ColumnBodyWithoutTrailingNewline_ReturnsDer")]
    [TestCase(64, "\r\n", true, TestName = "TryDecode_Crlf64ColumnBody_ReturnsDer")]
    [TestCase(64, "\r\n", false, TestName = "TryDecode_Crlf64ColumnBodyWithoutTrailingNewline_ReturnsDer")]
    [TestCase(76, "\r\n", true, TestName = "TryDecode_Crlf76ColumnBody_ReturnsDer")]
    [TestCase(76, "\r\n", false, TestName = "TryDecode_Crlf76ColumnBodyWithoutTrailingNewline_ReturnsDer")]
    [TestCase(76, "\n", true, TestName = "TryDecode_Lf76ColumnBody_ReturnsDer")]
    [TestCase(13, "\n", true, TestName = "TryDecode_OddWidthLinesNotOnQuantumBoundary_ReturnsDer")]
    [TestCase(1, "\r\n", false, TestName = "TryDecode_OneCharacterPerLine_ReturnsDer")]
    public void TryDecode_WrappedBody_ReturnsDer(int width, string newline, bool trailingNewline)
    {
        string body = Wrap(Convert.ToBase64String(_csrDer), width, newline, trailingNewline);

        bool decoded = EstBase64.TryDecode(Encoding.ASCII.GetBytes(body), out byte[] der, out string? error);

        Assert.Multiple(() =>
        {
            Assert.That(decoded, Is.True, error);
            Assert.That(error, Is.Null);
            Assert.That(der, Is.EqualTo(_csrDer));
        });
    }

    [Test]
    public void TryDecode_SpacesAndTabsAroundAndInsideLines_ReturnsDer()
    {
        string base64 = Convert.ToBase64String(_csrDer);
        // Indented lines, blanks at line ends and inside a line: what hand-edited or script-made bodies look like.
        var body = new StringBuilder("  \t\r\n");
        for (int i = 0; i < base64.Length; i += 64)
        {
            string line = base64.Substring(i, Math.Min(64, base64.Length - i));
            body.Append('\t').Append(line[..(line.Length / 2)]).Append(' ').Append(line[(line.Length / 2)..]).Append("  \r\n");
        }

        body.Append(" \t ");

        bool decoded = EstBase64.TryDecode(Encoding.ASCII.GetBytes(body.ToString()), out byte[] der, out string? error);

        Assert.Multiple(() =>
        {
            Assert.That(decoded, Is.True, error);
            Assert.That(der, Is.EqualTo(_csrDer));
        });
    }

    [Test]
    public void TryDecode_BodyWithPadding_ReturnsExactBytes()
    {
        // 1, 2 and 3 trailing bytes exercise "==", "=" and no padding.
        foreach (int length in new[] { 1, 2, 3, 4, 5 })
        {
            byte[] data = Enumerable.Range(0, length).Select(i => (byte)(0xF0 + i)).ToArray();

            bool decoded = EstBase64.TryDecode(Encoding.ASCII.GetBytes(Convert.ToBase64String(data)), out byte[] result, out string? error);

            Assert.That(decoded, Is.True, $"length {length}: {error}");
            Assert.That(result, Is.EqualTo(data), $"length {length}");
        }
    }

    [Test]
    public void TryDecode_EmptyBody_ReturnsEmptyError()
    {
        bool decoded = EstBase64.TryDecode([], out byte[] der, out string? error);

        Assert.Multiple(() =>
        {
            Assert.That(decoded, Is.False);
            Assert.That(der, Is.Empty);
            Assert.That(error, Does.Contain("empty"));
        });
    }

    [Test]
    public void TryDecode_WhitespaceOnlyBody_ReturnsEmptyError()
    {
        bool decoded = EstBase64.TryDecode(" \r\n\t\n"u8, out _, out string? error);

        Assert.Multiple(() =>
        {
            Assert.That(decoded, Is.False);
            Assert.That(error, Does.Contain("empty"));
        });
    }

    [TestCase("MIIB!AAA", TestName = "TryDecode_PunctuationInBody_ReturnsInvalidBase64Error")]
    [TestCase("MIIB-_AA", TestName = "TryDecode_Base64UrlAlphabet_ReturnsInvalidBase64Error")]
    [TestCase("MIIBAA", TestName = "TryDecode_LengthNotMultipleOfFour_ReturnsInvalidBase64Error")]
    [TestCase("QQ==QQ==", TestName = "TryDecode_DataAfterPadding_ReturnsInvalidBase64Error")]
    [TestCase("MIIB\fAAA", TestName = "TryDecode_FormFeedInBody_ReturnsInvalidBase64Error")]
    [TestCase("MIIB.AAA", TestName = "TryDecode_DotInBody_ReturnsInvalidBase64Error")]
    public void TryDecode_InvalidCharacters_ReturnsInvalidBase64Error(string body)
    {
        bool decoded = EstBase64.TryDecode(Encoding.ASCII.GetBytes(body), out byte[] der, out string? error);

        Assert.Multiple(() =>
        {
            Assert.That(decoded, Is.False);
            Assert.That(der, Is.Empty);
            Assert.That(error, Is.EqualTo("request body is not valid base64"));
        });
    }

    [Test]
    public void TryDecode_NonAsciiByte_ReturnsInvalidBase64Error()
    {
        byte[] body = [.. "MIIB"u8, 0xC3, 0xA9, .. "AA"u8];

        bool decoded = EstBase64.TryDecode(body, out _, out string? error);

        Assert.Multiple(() =>
        {
            Assert.That(decoded, Is.False);
            Assert.That(error, Does.Contain("not valid base64"));
        });
    }

    [TestCase("\n", TestName = "TryDecode_PemArmouredBody_ReturnsPemError")]
    [TestCase("\r\n", TestName = "TryDecode_PemArmouredCrlfBody_ReturnsPemError")]
    public void TryDecode_PemArmouredBody_ReturnsPemError(string newline)
    {
        string pem = PemEncodingText("CERTIFICATE REQUEST", _csrDer).ReplaceLineEndings(newline);

        bool decoded = EstBase64.TryDecode(Encoding.ASCII.GetBytes("  " + pem), out byte[] der, out string? error);

        Assert.Multiple(() =>
        {
            Assert.That(decoded, Is.False);
            Assert.That(der, Is.Empty);
            Assert.That(error, Does.Contain("PEM armoured"));
            Assert.That(error, Does.Contain("RFC 8951"));
        });
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(47)]
    [TestCase(48)]
    [TestCase(49)]
    [TestCase(95)]
    [TestCase(96)]
    [TestCase(97)]
    [TestCase(1000)]
    [TestCase(4096)]
    public void Encode_AnyLength_Writes64ColumnLfLinesThatDecodeBack(int length)
    {
        byte[] data = new byte[length];
        new Random(length).NextBytes(data);

        byte[] encoded = EstBase64.Encode(data);

        string text = Encoding.ASCII.GetString(encoded);
        string[] lines = text.Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(encoded.All(b => b is >= 0x20 and < 0x7F or (byte)'\n'), Is.True, "only printable ASCII and LF");
            Assert.That(text, Does.EndWith("\n"));
            Assert.That(text, Does.Not.Contain("\r"));
            Assert.That(lines[^1], Is.Empty, "the body ends with a newline, so the split leaves an empty tail");
            Assert.That(lines[..^2].Select(line => line.Length), Is.All.EqualTo(64), "every line but the last is full");
            Assert.That(lines[^2].Length, Is.InRange(1, 64));
            Assert.That(Convert.FromBase64String(text), Is.EqualTo(data));
            Assert.That(string.Concat(lines), Is.EqualTo(Convert.ToBase64String(data)));
        });
    }

    [Test]
    public void Encode_Csr_TryDecodeRoundTrips()
    {
        byte[] encoded = EstBase64.Encode(_csrDer);

        bool decoded = EstBase64.TryDecode(encoded, out byte[] der, out string? error);

        Assert.Multiple(() =>
        {
            Assert.That(decoded, Is.True, error);
            Assert.That(der, Is.EqualTo(_csrDer));
        });
    }

    [Test]
    public void Encode_48Bytes_WritesExactlyOneFullLine()
    {
        byte[] data = new byte[48];

        string text = Encoding.ASCII.GetString(EstBase64.Encode(data));

        Assert.That(text, Is.EqualTo(new string('A', 64) + "\n"));
    }

    private static string Wrap(string base64, int width, string newline, bool trailingNewline)
    {
        IEnumerable<string> lines = width == 0
            ? [base64]
            : Enumerable.Range(0, (base64.Length + width - 1) / width).Select(i => base64.Substring(i * width, Math.Min(width, base64.Length - (i * width))));
        return string.Join(newline, lines) + (trailingNewline ? newline : string.Empty);
    }

    private static string PemEncodingText(string label, byte[] der) =>
        new string(System.Security.Cryptography.PemEncoding.Write(label, der)) + "\n";
}
