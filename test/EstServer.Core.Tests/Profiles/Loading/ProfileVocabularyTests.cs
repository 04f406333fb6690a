using EstServer.Core.Profiles.Loading;

namespace EstServer.Core.Tests.Profiles.Loading;

public class ProfileVocabularyTests
{
    [TestCase("2.999")]
    [TestCase("1.3.6.1.4.1.99999.1.1")]
    [TestCase("0.0")]
    [TestCase("2.5.29.17")]
    public void IsOid_DottedObjectIdentifier_True(string value)
    {
        Assert.That(ProfileVocabulary.IsOid(value), Is.True);
    }

    [TestCase("")]
    [TestCase("1")]
    [TestCase("3.1")]
    [TestCase("1.02")]
    [TestCase("1..2")]
    [TestCase("1.2.")]
    [TestCase(".1.2")]
    [TestCase("1.2.a")]
    [TestCase("1.40")]
    [TestCase("clientAuth")]
    public void IsOid_Other_False(string value)
    {
        // X.660: the first arc is 0-2; under 0 and 1 the second arc is below 40.
        Assert.That(ProfileVocabulary.IsOid(value), Is.False);
    }

    [TestCase("a")]
    [TestCase("field-device")]
    [TestCase("v1.2_beta")]
    public void IsLabel_PathSegment_True(string value)
    {
        Assert.That(ProfileVocabulary.IsLabel(value), Is.True);
    }

    [TestCase("")]
    [TestCase(".")]
    [TestCase("..")]
    [TestCase("a/b")]
    [TestCase("a b")]
    [TestCase("a%2Fb")]
    [TestCase("gerät")]
    public void IsLabel_NotOneSafeSegment_False(string value)
    {
        Assert.That(ProfileVocabulary.IsLabel(value), Is.False);
    }

    [Test]
    public void IsLabel_LengthLimit_64Characters()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ProfileVocabulary.IsLabel(new string('a', 64)), Is.True);
            Assert.That(ProfileVocabulary.IsLabel(new string('a', 65)), Is.False);
        });
    }

    [TestCase("CN", "2.5.4.3", "CN")]
    [TestCase("cn", "2.5.4.3", "cn")]
    [TestCase("O", "2.5.4.10", "O")]
    [TestCase("serialNumber", "2.5.4.5", "serialNumber")]
    [TestCase("DC", "0.9.2342.19200300.100.1.25", "DC")]
    [TestCase("2.5.4.3", "2.5.4.3", "CN")]
    [TestCase("1.3.6.1.4.1.99999.1", "1.3.6.1.4.1.99999.1", "1.3.6.1.4.1.99999.1")]
    public void SubjectAttribute_KnownNameOrOid_OidAndDisplayName(string name, string oid, string display)
    {
        Assert.That(ProfileVocabulary.SubjectAttribute(name), Is.EqualTo((oid, display)));
    }

    [TestCase("Nickname")]
    [TestCase("")]
    [TestCase("3.1")]
    public void SubjectAttribute_Unknown_Null(string name)
    {
        Assert.That(ProfileVocabulary.SubjectAttribute(name), Is.Null);
    }

    [Test]
    public void KeyUsages_CaBits_Absent()
    {
        Assert.That(ProfileVocabulary.KeyUsages.Keys, Has.None.EqualTo("keyCertSign").And.None.EqualTo("cRLSign"));
    }

    [Test]
    public void Operations_AllEstOperations_Listed()
    {
        Assert.That(ProfileVocabulary.Operations, Is.EquivalentTo(new[] { "cacerts", "simpleenroll", "simplereenroll", "csrattrs", "serverkeygen", "fullcmc" }));
    }
}
