namespace EstServer.Core.Tests.Support;

internal sealed record OpenSslResult(int ExitCode, string StandardOutput, string StandardError);
