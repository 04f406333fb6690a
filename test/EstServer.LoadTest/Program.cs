using System.Security.Cryptography.X509Certificates;
using System.Text;
using EstServer.Core.Wire;
using EstServer.LoadGen;
using EstServer.LoadGen.Hostile;

// The fleet simulator behind scripts/bench.sh, and the bad-input campaign behind scripts/soak.sh: see LoadOptions.Usage.
if (args is ["--write-corpus", string corpusDirectory])
{
    foreach (string written in SeedCorpusWriter.Write(corpusDirectory))
    {
        Console.WriteLine(written);
    }

    return 0;
}

if (args is ["seed-store", .. string[] seedArgs])
{
    return EstServer.LoadGen.Store.SeedStoreCommand.Run(seedArgs, Console.Out, Console.Error);
}

if (args is ["ocsp", .. string[] ocspArgs])
{
    EstServer.LoadGen.Ocsp.OcspLoadOptions ocsp;
    try
    {
        ocsp = EstServer.LoadGen.Ocsp.OcspLoadOptions.Parse(ocspArgs);
    }
    catch (Exception exception) when (exception is ArgumentException or FormatException)
    {
        Console.Error.WriteLine($"estserver-loadtest: {exception.Message}");
        Console.Error.WriteLine(EstServer.LoadGen.Ocsp.OcspLoadOptions.Usage);
        return 2;
    }

    using var ocspCancel = new CancellationTokenSource(TimeSpan.FromMinutes(30));
    Console.WriteLine(await new EstServer.LoadGen.Ocsp.OcspLoadRunner(ocsp).RunAsync(ocspCancel.Token));
    return 0;
}

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception exception) when (exception is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"estserver-loadtest: {exception.Message}");
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

if (options.Mode == LoadMode.Hostile)
{
    return await HostileMode.RunAsync(options);
}

using X509Certificate2 anchor = X509CertificateLoader.LoadCertificateFromFile(options.TrustAnchor);
var serverCheck = new ServerCertificateCheck(anchor);
// A kept-alive connection belongs to one device for good, so such a run sends from as many devices as connections.
DeviceFleet fleet = DeviceFleet.Load(options.Devices, options.Mode == LoadMode.Baseline ? 0 : options.CsrPool, options.KeepAlive ? options.Concurrency : int.MaxValue);
var runner = new LoadRunner(options, fleet, serverCheck);
using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(30));

// The CA chain, for verifying samples (fetched once, unmeasured).
await using (RawHttpsConnection connection = await RawHttpsConnection.OpenAsync(options.Url, null, serverCheck, cancel.Token))
{
    (int status, byte[] body) = await connection.SendAsync("GET", runner.Path("cacerts"), runner.Host, null, null, close: true, cancel.Token);
    if (status != 200)
    {
        Console.Error.WriteLine($"estserver-loadtest: cacerts answered {status}");
        return 1;
    }

    IReadOnlyList<byte[]> caChain = CertsOnlyPkcs7.Decode(Convert.FromBase64String(Encoding.ASCII.GetString(body)));
    if (options.Mode == LoadMode.Reenroll)
    {
        await runner.PrepareReenrollmentAsync(cancel.Token);
    }

    LoadResult result = await runner.RunAsync(cancel.Token);
    string verified = options.Mode == LoadMode.Baseline ? "n/a" : SampleVerifier.Verify(runner.Samples, caChain);
    Console.WriteLine((result with { Verified = verified, CsrsMintedDuringRun = fleet.MintedDuringRun }).ToLine());
    return result.Failures.Count == 0 && !verified.StartsWith("0/", StringComparison.Ordinal) && (verified == "n/a" || verified.Split('/')[0] == verified.Split('/')[1]) ? 0 : 1;
}
