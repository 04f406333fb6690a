using EstServer.Core.Queue;

namespace EstServer.Core.Tests.Queue;

public class SigningWorkerOptionsTests
{
    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(1025)]
    public void Concurrency_OutOfRange_ThrowsArgumentOutOfRange(int concurrency)
    {
        Assert.That(() => new SigningWorkerOptions { Concurrency = concurrency }, Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [TestCase(1)]
    [TestCase(1024)]
    public void Concurrency_InRange_IsKept(int concurrency)
    {
        Assert.That(new SigningWorkerOptions { Concurrency = concurrency }.Concurrency, Is.EqualTo(concurrency));
    }

    [Test]
    public void Concurrency_Default_IsProcessorCount()
    {
        Assert.That(new SigningWorkerOptions().Concurrency, Is.EqualTo(Environment.ProcessorCount));
    }
}
