using EstServer.Core.Errors;
using EstServer.Core.Queue;

namespace EstServer.Core.Tests.Support;

internal static class OutcomeAssert
{
    /// <summary>The outcome is a refusal of the given kind whose reason mentions <paramref name="reasonFragment"/>.</summary>
    public static void Refused(SigningOutcome outcome, EstErrorKind kind, string reasonFragment)
    {
        Assert.That(outcome, Is.InstanceOf<SigningOutcome.Refused>());
        EstError error = ((SigningOutcome.Refused)outcome).Error;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Kind, Is.EqualTo(kind));
            Assert.That(error.Reason, Does.Contain(reasonFragment));
        }
    }
}
