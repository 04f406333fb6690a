using EstServer.Core.Revocation;

namespace EstServer.Core.Tests.Revocation;

public class OcspGetRequestTests
{
    // Bytes whose base64 has '+', '/' and padding: "+/8=" is 0xfb 0xff.
    private static readonly byte[] Request = [0x30, 0x03, 0xfb, 0xff, 0x01];

    [TestCase("MAP7/wE=")]
    [TestCase("MAP7%2FwE%3D")]
    [TestCase("MAP7%2fwE%3d")]
    [TestCase("MAP7/wE")]
    [TestCase("MAP7_wE")]
    public void TryDecode_SlashAndPaddingEncodedOrNot_Decodes(string segment)
    {
        Assert.That(OcspGetRequest.TryDecode(segment, out byte[] der) ? der : null, Is.EqualTo(Request));
    }

    [TestCase("MAP+/wE=")]
    [TestCase("MAP%2B%2FwE%3D")]
    [TestCase("MAP %2FwE%3D")]
    [TestCase("MAP-_wE")]
    public void TryDecode_PlusEncodedOrNotOrFormDecoded_Decodes(string segment)
    {
        Assert.That(OcspGetRequest.TryDecode(segment, out byte[] der) ? der : null, Is.EqualTo(new byte[] { 0x30, 0x03, 0xfe, 0xff, 0x01 }));
    }

    [TestCase("")]
    [TestCase("not*base64")]
    [TestCase("A")]
    [TestCase("%zz")]
    public void TryDecode_NotBase64_False(string segment)
    {
        Assert.That(OcspGetRequest.TryDecode(segment, out _), Is.False);
    }

    [Test]
    public void TryDecode_Oversized_False()
    {
        Assert.That(OcspGetRequest.TryDecode(new string('A', 16 * 1024), out _), Is.False);
    }
}
