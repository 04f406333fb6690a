namespace EstServer.Core.Tests.Support;

internal enum TestCaKey
{
    EcP256,
    EcP384,
    Rsa2048,
}
