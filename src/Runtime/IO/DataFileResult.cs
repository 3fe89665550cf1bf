namespace Ppl.Runtime.IO;

/// <summary>The outcome of an operation on a data file: success, or the errors that prevented it.</summary>
public class DataFileResult
{
    private static readonly DataFileResult SuccessResult = new(Array.Empty<DataFileError>());

    /// <summary>Creates a result carrying <paramref name="errors"/> (none means success).</summary>
    protected DataFileResult(IReadOnlyList<DataFileError> errors) => Errors = errors;

    /// <summary>The problems found; empty on success.</summary>
    public IReadOnlyList<DataFileError> Errors { get; }

    /// <summary>True when there are no errors.</summary>
    public bool Succeeded => Errors.Count == 0;

    /// <summary>A successful result.</summary>
    public static DataFileResult Success() => SuccessResult;

    /// <summary>A failed result; <paramref name="errors"/> must not be empty.</summary>
    public static DataFileResult Failure(IReadOnlyList<DataFileError> errors)
    {
        if (errors.Count == 0) throw new ArgumentException("A failure needs at least one error.", nameof(errors));
        return new DataFileResult(errors);
    }

    /// <summary>A failed result with one error.</summary>
    public static DataFileResult Failure(DataFileError error) => new(new[] { error });

    /// <summary>All errors, one per line, for logs and exception messages in tests.</summary>
    public override string ToString() => Succeeded ? "success" : string.Join(Environment.NewLine, Errors);
}

/// <summary>The outcome of reading a data file: a value, or the errors that prevented it.</summary>
public sealed class DataFileResult<T> : DataFileResult
{
    private readonly T? value;

    private DataFileResult(T? value, IReadOnlyList<DataFileError> errors) : base(errors) => this.value = value;

    /// <summary>The value read. Reading it from a failed result is a bug and throws.</summary>
    public T Value => Succeeded ? value! : throw new InvalidOperationException("The operation failed: " + this);

    /// <summary>A successful result holding <paramref name="value"/>.</summary>
    public static DataFileResult<T> Success(T value) => new(value, Array.Empty<DataFileError>());

    /// <summary>A failed result; <paramref name="errors"/> must not be empty.</summary>
    public static new DataFileResult<T> Failure(IReadOnlyList<DataFileError> errors)
    {
        if (errors.Count == 0) throw new ArgumentException("A failure needs at least one error.", nameof(errors));
        return new DataFileResult<T>(default, errors);
    }

    /// <summary>A failed result with one error.</summary>
    public static new DataFileResult<T> Failure(DataFileError error) => new(default, new[] { error });

    /// <summary>Applies <paramref name="map"/> to a successful value; passes errors through.</summary>
    public DataFileResult<TOut> Map<TOut>(Func<T, TOut> map) =>
        Succeeded ? DataFileResult<TOut>.Success(map(value!)) : DataFileResult<TOut>.Failure(Errors);

    /// <summary>Chains an operation that can itself fail.</summary>
    public DataFileResult<TOut> Bind<TOut>(Func<T, DataFileResult<TOut>> next) =>
        Succeeded ? next(value!) : DataFileResult<TOut>.Failure(Errors);
}
