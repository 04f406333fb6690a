using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Lifecycle;

/// <summary>
/// Revocations live in the store under the data directory, not in the process: a server stopped
/// gracefully and a new one started on the same data directory (and the same CRL/OCSP address, so the
/// pointers in the certificates still lead to it) still says which certificate is revoked and which is good.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RevocationPersistenceTests
{
    [Test]
    public async Task Restart_SameDataDirectory_RevokedStaysRevokedAndGoodStaysGoodInOcspAndCrl()
    {
        using var work = new TempDirectory("lifecycle-restart");
        string workingDirectory = work.Combine("work");
        string httpUrl = FreePort.HttpUrl();
        LifecycleShell shell;
        string revokedSerial;
        string goodSerial;
        Uri crlUrl;
        long numberBefore;
        await using (EstTestServer first = await LifecycleShell.StartServerAsync(workingDirectory, httpUrl))
        {
            shell = LifecycleShell.For(first, LifecycleShell.ConfigDirectoryOf(workingDirectory));
            await shell.EnrollOkAsync(first.BaseAddress, "kept-good", first.Pki.DeviceCertificate, first.Pki.DeviceKey);
            await shell.EnrollOkAsync(first.BaseAddress, "kept-revoked", first.Pki.DeviceCertificate, first.Pki.DeviceKey);
            goodSerial = await shell.SerialAsync("kept-good");
            revokedSerial = await shell.SerialAsync("kept-revoked");
            crlUrl = await shell.CrlUrlAsync("kept-revoked");
            CommandResult revoke = await shell.EstServerAsync("certs", "revoke", revokedSerial, "--reason", "keyCompromise");
            Assert.That(revoke.ExitCode, Is.Zero, revoke.ToString());
            await shell.WaitForOcspAsync("kept-revoked", "revoked");
            string firstCrl = await shell.WaitForCrlAsync(crlUrl, "crl-first", text => LifecycleShell.RevokedEntry(text, revokedSerial) is not null, "the first server's CRL listing the revocation");
            numberBefore = LifecycleShell.CrlNumber(firstCrl);

            int exitCode = await first.Process!.StopGracefullyAsync();
            Assert.That(exitCode, Is.Zero, first.Process.Describe());
        }

        await using EstTestServer second = await LifecycleShell.StartServerAsync(workingDirectory, httpUrl);
        Assert.That(second.DataDir, Is.EqualTo(shell.DataDirectory));
        CommandResult revokedAfter = await shell.WaitForOcspAsync("kept-revoked", "revoked");
        CommandResult goodAfter = await shell.OcspAsync("kept-good");
        string crl = await shell.FetchCrlAsync(crlUrl, "crl-second");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.Process!.OutputLines, Has.None.Contains("created a development PKI"), "the second server reuses the PKI");
            Assert.That(revokedAfter.StandardOutput, Does.Contain("Reason: keyCompromise"), revokedAfter.ToString());
            Assert.That(goodAfter.StandardOutput, Does.Contain("kept-good.pem: good"), goodAfter.ToString());
            Assert.That(LifecycleShell.RevokedEntry(crl, revokedSerial), Does.Contain("Key Compromise"), crl);
            Assert.That(LifecycleShell.RevokedEntry(crl, goodSerial), Is.Null, crl);
            Assert.That(LifecycleShell.CrlNumber(crl), Is.GreaterThanOrEqualTo(numberBefore), "CRL numbers never go back (RFC 5280 §5.2.3)");
        }
    }
}
