using Ppl.Runtime.Distributions;
using static TorchSharp.torch;

namespace Ppl.Runtime.Abstractions;

/// <summary>
/// Supplies `data` values to a generated model's <see cref="IGeneratedModel.Bind"/> and collects the problems
/// found while binding. Indices follow <see cref="ModelDescription.Data"/>, <see cref="ModelDescription.Sites"/>
/// and <see cref="ModelDescription.Lets"/>. When a value is missing or wrong, the binder records an error and
/// returns a placeholder of the expected shape so that binding can go on and report further problems.
/// </summary>
public interface IDataBinder
{
    ScalarType RealType { get; }

    Device Device { get; }

    /// <summary>An `int` scalar data value (used in shapes).</summary>
    long IntScalar(int data, Func<long>? defaultValue);

    /// <summary>A `real`, `int` or `bool` data tensor of the given event shape (no batch dimension).</summary>
    Tensor Tensor(int data, long[] shape, Func<Tensor>? defaultValue);

    /// <summary>Records an error at a source location when <paramref name="condition"/> is false; returns the condition.</summary>
    bool Check(bool condition, string code, string message, int line, int column, int endLine, int endColumn);

    /// <summary>Checks a distribution argument that depends on data only against its parameter's domain, recording error
    /// PPL0411 at the argument (naming <paramref name="argument"/>, the first bad value and its index).</summary>
    void CheckArgument(Tensor value, ParameterDomain domain, string distribution, string parameter, string argument, int line, int column, int endLine, int endColumn);

    /// <summary>Checks that the lower bound of a distribution's support is below its upper bound, both known from the data (PPL0411).</summary>
    void CheckBounds(Tensor lower, Tensor upper, string distribution, string lowerText, string upperText, int line, int column, int endLine, int endColumn);

    void CheckObserved(int site, string distribution, SupportKind kind, Tensor? lower, Tensor? upper);

    /// <summary>The value of an observed site that observes data (`observe y[5:N] ~ d` with `y` declared `data`
    /// number <paramref name="data"/>): the data's part, computed when binding; it replaces a value given under the
    /// site's name. Ignored when the data were not given (a simulation needs no value; inference then reports the
    /// observation as missing).</summary>
    void ObservedData(int site, int data, Tensor value);

    /// <summary>Declares the concrete event shape of a site.</summary>
    void SiteShape(int site, long[] shape);

    /// <summary>Declares the concrete event shape of a recorded let.</summary>
    void LetShape(int let, long[] shape);
}
