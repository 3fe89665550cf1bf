using System.Runtime.InteropServices;
using Ppl.Runtime.Abstractions;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Language;
using static TorchSharp.torch;

namespace Ppl.Runtime.Models;

/// <summary>
/// Supplies data values to a generated model's Bind and records every problem found (missing, wrong shape, wrong type,
/// non-finite), returning placeholders so that one pass reports them all.
/// </summary>
internal sealed class DataBinder(
    ModelDescription description,
    IReadOnlyDictionary<string, DataInput> inputs,
    ScalarType realType,
    Device device) : IDataBinder
{
    private readonly List<ModelError> _errors = new();
    private readonly long[]?[] _siteShapes = new long[]?[description.Sites.Count];
    private readonly long[]?[] _letShapes = new long[]?[description.Lets.Count];

    public ScalarType RealType => realType;

    public Device Device => device;

    public IReadOnlyList<ModelError> Errors => _errors;

    public long[]?[] SiteShapes => _siteShapes;

    public long[]?[] LetShapes => _letShapes;

    public long IntScalar(int data, Func<long>? defaultValue)
    {
        var decl = description.Data[data];
        if (inputs.TryGetValue(decl.Name, out var input))
        {
            if (input.Value.dim() != 0 && !(input.Value.dim() == 1 && input.Value.shape[0] == 1))
            {
                Error(DiagnosticCatalogue.DataWrongShape, $"data '{decl.Name}' is declared {decl.TypeText} but {input.Origin} gives an array of shape {ShapeText(input.Shape)}", decl.Location);
                return 1;
            }
            double v = input.Value.to_type(ScalarType.Float64).reshape(-1)[0].item<double>();
            if (input.IsBool || Math.Abs(v - Math.Round(v)) > 0 || double.IsNaN(v))
            {
                Error(DiagnosticCatalogue.DataWrongShape, $"data '{decl.Name}' is declared int but {input.Origin} gives {v.ToString(System.Globalization.CultureInfo.InvariantCulture)}", decl.Location);
                return 1;
            }
            return (long)Math.Round(v);
        }
        if (defaultValue is not null) return Guarded(decl, defaultValue, 1L);
        Missing(decl);
        return 1;
    }

    public Tensor Tensor(int data, long[] shape, Func<Tensor>? defaultValue)
    {
        var decl = description.Data[data];
        RequireShape(shape, $"data '{decl.Name}' ({decl.TypeText})", decl.Location);
        if (inputs.TryGetValue(decl.Name, out var input))
            return Convert(decl.Name, decl.Element, decl.TypeText, shape, input, decl.Location) ?? Placeholder(decl.Element, shape);
        if (defaultValue is not null)
        {
            var value = Guarded(decl, defaultValue, null);
            if (value is null) return Placeholder(decl.Element, shape);
            if (!value.shape.SequenceEqual(shape))
            {
                Error(DiagnosticCatalogue.DataDefaultWrongShape, $"the default of data '{decl.Name}' has shape {ShapeText(value.shape)} but its type {decl.TypeText} says {ShapeText(shape)}", decl.Location);
                return Placeholder(decl.Element, shape);
            }
            if (value.is_floating_point() && value.isfinite().logical_not() is var bad && bad.any().item<bool>())
            {
                Error(DiagnosticCatalogue.DataNotFinite, $"the default of data '{decl.Name}' is not finite at index {FirstIndex(bad)} ({FormatValue(value.to_type(ScalarType.Float64), bad)})", decl.Location);
                return Placeholder(decl.Element, shape);
            }
            return value;
        }
        Missing(decl);
        return Placeholder(decl.Element, shape);
    }

    public bool Check(bool condition, string code, string message, int line, int column, int endLine, int endColumn)
    {
        if (!condition) Error(code, message, new SourceLocation(description.SourceFile, line, column, endLine, endColumn));
        return condition;
    }

    public void CheckArgument(Tensor value, ParameterDomain domain, string distribution, string parameter, string argument, int line, int column, int endLine, int endColumn)
    {
        var location = new SourceLocation(description.SourceFile, line, column, endLine, endColumn);
        if (DataDomainChecks.Argument(value, domain, distribution, parameter, argument, location) is { } error) _errors.Add(error);
    }

    public void CheckBounds(Tensor lower, Tensor upper, string distribution, string lowerText, string upperText, int line, int column, int endLine, int endColumn)
    {
        var location = new SourceLocation(description.SourceFile, line, column, endLine, endColumn);
        if (DataDomainChecks.Bounds(lower, upper, distribution, lowerText, upperText, location) is { } error) _errors.Add(error);
    }

    public void CheckObserved(int site, string distribution, SupportKind kind, Tensor? lower, Tensor? upper) =>
        ObservedChecks[site] = (distribution, kind, lower, upper);

    /// <summary>The observed sites whose values <see cref="Model.Bind"/> checks against their supports, once bound.</summary>
    public Dictionary<int, (string Distribution, SupportKind Kind, Tensor? Lower, Tensor? Upper)> ObservedChecks { get; } = new();

    public void ObservedData(int site, int data, Tensor value)
    {
        if (inputs.ContainsKey(description.Data[data].Name)) ObservedDataValues[site] = value;
    }

    /// <summary>The values of observed sites that observe data, by site index (see <see cref="IDataBinder.ObservedData"/>).</summary>
    public Dictionary<int, Tensor> ObservedDataValues { get; } = new();

    public void SiteShape(int site, long[] shape)
    {
        var d = description.Sites[site];
        RequireShape(shape, $"'{d.Name}' ({d.TypeText})", d.Location);
        _siteShapes[site] = shape;
    }

    public void LetShape(int let, long[] shape)
    {
        var d = description.Lets[let];
        RequireShape(shape, $"'{d.Name}' ({d.TypeText})", d.Location);
        _letShapes[let] = shape;
    }

    /// <summary>Sizes are checked before any tensor is made: a negative size (PPL0409) or more elements than
    /// <see cref="ElementLimit"/> allows (PPL0421) stops binding with an error at <paramref name="location"/>.</summary>
    private static void RequireShape(long[] shape, string what, SourceLocation location)
    {
        try
        {
            ElementLimit.Require(shape, what);
        }
        catch (SizeLimitException e)
        {
            throw new ModelRunException(new ModelError(e.Code, e.Message, location, e.Hint));
        }
    }

    /// <summary>Validates and converts a supplied value to the model's element type, device and exact shape; null on error.</summary>
    public Tensor? Convert(string name, ElementType element, string typeText, long[] shape, DataInput input, SourceLocation location)
    {
        if (!input.Shape.SequenceEqual(shape))
        {
            Error(DiagnosticCatalogue.DataWrongShape, $"'{name}' is declared {typeText} (shape {ShapeText(shape)}) but {input.Origin} gives shape {ShapeText(input.Shape)}", location);
            return null;
        }
        return ConvertElements(name, element, input, location);
    }

    /// <summary>Validates the element type and finiteness of a supplied value and converts it; the shape is not checked.</summary>
    public Tensor? ConvertElements(string name, ElementType element, DataInput input, SourceLocation location)
    {
        var v = input.Value;
        switch (element)
        {
            case ElementType.Bool:
                if (v.dtype != ScalarType.Bool)
                {
                    Error(DiagnosticCatalogue.DataWrongShape, $"'{name}' is bool but {input.Origin} gives numbers", location);
                    return null;
                }
                return v.to(device);
            case ElementType.Int:
            {
                if (v.dtype == ScalarType.Bool) return v.to_type(ScalarType.Int64).to(device);
                var asDouble = v.to_type(ScalarType.Float64);
                var bad = asDouble.ne(asDouble.round()).logical_or(asDouble.isnan());
                if (bad.any().item<bool>())
                {
                    Error(DiagnosticCatalogue.DataWrongShape, $"'{name}' is int but {input.Origin} has a non-integer value at index {FirstIndex(bad)}", location);
                    return null;
                }
                return v.to_type(ScalarType.Int64).to(device);
            }
            default:
            {
                if (v.dtype == ScalarType.Bool)
                {
                    Error(DiagnosticCatalogue.DataWrongShape, $"'{name}' is real but {input.Origin} gives booleans", location);
                    return null;
                }
                var asDouble = v.to_type(ScalarType.Float64);
                var bad = asDouble.isfinite().logical_not();
                if (bad.any().item<bool>())
                {
                    var idx = FirstIndex(bad);
                    Error(DiagnosticCatalogue.DataNotFinite, $"'{name}' from {input.Origin} is not finite at index {idx} ({FormatValue(asDouble, bad)})", location,
                        "remove or impute missing values before inference");
                    return null;
                }
                return v.to_type(realType).to(device);
            }
        }
    }

    public void Error(string code, string message, SourceLocation location, string? hint = null) =>
        _errors.Add(new ModelError(code, message, location, hint));

    public void Warning(string code, string message, SourceLocation location, string? hint = null) =>
        _errors.Add(new ModelError(code, message, location, hint, IsWarning: true));

    private void Missing(DataDescription decl) =>
        Error(DiagnosticCatalogue.DataMissing, $"data '{decl.Name}' ({decl.TypeText}) has no value and no default", decl.Location,
            $"give it in a data file (--data FILE) or on the command line (--set {decl.Name}=...)");

    private T Guarded<T>(DataDescription decl, Func<T> compute, T fallback)
    {
        try
        {
            return compute();
        }
        catch (ModelRunException e)
        {
            _errors.Add(e.Error);
            return fallback;
        }
        catch (Exception e) when (e is ExternalException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            Error(DiagnosticCatalogue.DataEvaluationFailed, $"computing the default of data '{decl.Name}' failed: {FirstLine(e.Message)}", decl.Location);
            return fallback;
        }
    }

    private Tensor Placeholder(ElementType element, long[] shape) => element switch
    {
        ElementType.Bool => zeros(shape, ScalarType.Bool, device),
        ElementType.Int => ones(shape, ScalarType.Int64, device),
        _ => ones(shape, realType, device),
    };

    internal static string ShapeText(long[] shape) => shape.Length == 0 ? "scalar" : "[" + string.Join(", ", shape) + "]";

    internal static string FirstLine(string message)
    {
        int nl = message.IndexOf('\n');
        return (nl < 0 ? message : message[..nl]).Trim();
    }

    private static string FirstIndex(Tensor mask)
    {
        var nz = mask.nonzero();
        if (nz.shape[0] == 0) return "?";
        var row = nz[0];
        if (row.numel() == 0) return "[]";
        var parts = new List<string>();
        for (int i = 0; i < row.shape[0]; i++) parts.Add(row[i].item<long>().ToString());
        return "[" + string.Join(", ", parts) + "]";
    }

    private static string FormatValue(Tensor values, Tensor mask)
    {
        var flat = values.reshape(-1)[mask.reshape(-1)];
        var v = flat[0].item<double>();
        return v.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
