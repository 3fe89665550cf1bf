using System.Diagnostics.CodeAnalysis;

namespace Ppl.Runtime.Sbi;

/// <summary>Either a value or an <see cref="SbiError"/>.</summary>
public readonly struct SbiResult<T>
{
    private readonly T? _value;

    private SbiResult(T? value, SbiError? error)
    {
        _value = value;
        Error = error;
    }

    /// <summary>The error, when the operation failed.</summary>
    public SbiError? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>The value; reading it from a failed result is a bug and throws.</summary>
    public T Value => IsSuccess ? _value! : throw new InvalidOperationException("No value: " + Error);

    public static SbiResult<T> Success(T value) => new(value, null);

    public static SbiResult<T> Failure(string code, string message) => new(default, new SbiError(code, message));

    public static implicit operator SbiResult<T>(SbiError error) => new(default, error);

    public override string ToString() => IsSuccess ? $"Success({_value})" : $"Failure({Error})";
}
