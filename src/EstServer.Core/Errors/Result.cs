using System.Diagnostics.CodeAnalysis;

namespace EstServer.Core.Errors;

/// <summary>Either a value or an <see cref="EstError"/>; errors travel as values, not exceptions.</summary>
public readonly struct Result<T>
{
    private readonly T? _value;

    private Result(T? value, EstError? error)
    {
        _value = value;
        Error = error;
    }

    public EstError? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    public T Value => Error is null ? _value! : throw new InvalidOperationException($"Result is an error: {Error.Reason}");

    public static Result<T> Success(T value) => new(value, null);

    public static Result<T> Failure(EstError error) => new(default, error);

    public static implicit operator Result<T>(T value) => Success(value);

    public static implicit operator Result<T>(EstError error) => Failure(error);

    public bool TryGetValue([MaybeNullWhen(false)] out T value, [MaybeNullWhen(true)] out EstError error)
    {
        value = _value;
        error = Error;
        return Error is null;
    }
}
