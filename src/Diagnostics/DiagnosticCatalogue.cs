using System.Reflection;

namespace Ppl.Diagnostics;

/// <summary>
/// Every diagnostic code ppl reports, one static member per code. Codes are stable and banded: PPL00xx syntax,
/// PPL01xx names, PPL02xx types and shapes, PPL03xx model structure and capabilities, PPL04xx data and values,
/// PPL05xx files and sharded runs, PPL09xx internal errors (bugs). Producers name the member, never the code's text;
/// tests check that no source file spells a code outside this file and that docs/language-diagnostics*.md has a row
/// with the code's anchor and title for each entry (and no row for a code that is not here).
/// </summary>
public static class DiagnosticCatalogue
{
    private const string Syntax = "docs/language-diagnostics-syntax.md";
    private const string Language = "docs/language-diagnostics.md";

    private static DiagnosticCode Error(string code, string title, string page) => new(code, title, DiagnosticLevel.Error, page);

    // PPL00xx: syntax (the front end, src/Dsl).
    public static readonly DiagnosticCode UnexpectedInput = Error("PPL0001", "unexpected input", Syntax);
    public static readonly DiagnosticCode MissingModelHeader = Error("PPL0002", "missing 'model Name'", Syntax);
    public static readonly DiagnosticCode InvalidNumber = Error("PPL0003", "invalid number literal", Syntax);
    public static readonly DiagnosticCode KeywordAsName = Error("PPL0004", "keyword used as a name", Syntax);
    public static readonly DiagnosticCode UnclosedComment = Error("PPL0005", "block comment never closed", Syntax);
    public static readonly DiagnosticCode UnclosedBracket = Error("PPL0006", "bracket never closed", Syntax);
    public static readonly DiagnosticCode InvalidCharacter = Error("PPL0007", "invalid character", Syntax);
    public static readonly DiagnosticCode DeclarationExpected = Error("PPL0008", "declaration expected", Syntax);
    public static readonly DiagnosticCode PositionalAfterNamed = Error("PPL0009", "positional argument after a named one", Syntax);
    public static readonly DiagnosticCode SyntaxNestedTooDeeply = Error("PPL0010", "expression nested too deeply to parse", Syntax);

    // PPL01xx: names.
    public static readonly DiagnosticCode UnknownName = Error("PPL0101", "unknown name", Language);
    public static readonly DiagnosticCode UsedBeforeDeclaration = Error("PPL0102", "used before its declaration", Language);
    public static readonly DiagnosticCode DeclaredTwice = Error("PPL0103", "declared twice", Language);
    public static readonly DiagnosticCode FunctionUsesRandomVariable = Error("PPL0105", "function uses a random variable", Language);
    public static readonly DiagnosticCode DataDefaultNotFromData = Error("PPL0106", "data default not from earlier data", Language);

    // PPL02xx: types, shapes and arguments.
    public static readonly DiagnosticCode ShapeMismatch = Error("PPL0201", "shapes do not match", Language);
    public static readonly DiagnosticCode TypeMismatch = Error("PPL0202", "wrong type", Language);
    public static readonly DiagnosticCode ArgumentCount = Error("PPL0203", "wrong number of arguments", Language);
    public static readonly DiagnosticCode UnknownNamedArgument = Error("PPL0204", "unknown named argument", Language);
    public static readonly DiagnosticCode NamedArgumentTwice = Error("PPL0205", "named argument given twice", Language);
    public static readonly DiagnosticCode ArgumentNotWritten = Error("PPL0206", "argument not written in the model", Language);
    public static readonly DiagnosticCode SizeNotFromData = Error("PPL0207", "size not an int from data", Language);
    public static readonly DiagnosticCode BadAxis = Error("PPL0208", "axis out of range", Language);
    public static readonly DiagnosticCode ArgumentNotDataOnly = Error("PPL0209", "argument depends on a random variable", Language);
    public static readonly DiagnosticCode RandomIndex = Error("PPL0210", "index depends on a random variable", Language);
    public static readonly DiagnosticCode ShapeNotComputable = Error("PPL0211", "shape not computable from the data", Language);
    public static readonly DiagnosticCode UnknownField = Error("PPL0212", "unknown field", Language);
    public static readonly DiagnosticCode BadIndex = Error("PPL0213", "bad index", Language);
    public static readonly DiagnosticCode DistributionDoesNotFit = Error("PPL0214", "distribution does not fit the declaration", Language);
    public static readonly DiagnosticCode NonPositiveParameter = Error("PPL0215", "non-positive literal for a positive parameter", Language);
    public static readonly DiagnosticCode ExpressionTooDeep = Error("PPL0216", "expression nested too deeply", Language);
    public static readonly DiagnosticCode ConstantOutOfRange = Error("PPL0217", "constant out of range", Language);
    public static readonly DiagnosticCode MalformedMixture = Error("PPL0218", "malformed mixture", Language);
    public static readonly DiagnosticCode ImproperPriorMisused = Error("PPL0219", "improper Flat() where a density is needed", Language);
    public static readonly DiagnosticCode BadObservedData = Error("PPL0220", "data that cannot be observed", Language);
    public static readonly DiagnosticCode LoopStateChangesType = Error("PPL0223", "loop state changes shape or type", Language);
    public static readonly DiagnosticCode NotAllowedInLoop = Error("PPL0224", "not allowed in a loop", Language);
    public static readonly DiagnosticCode EmptyLoopRange = Error("PPL0225", "loop range with no step", Language);

    // PPL03xx: model structure and capabilities.
    public static readonly DiagnosticCode NoLogDensity = Error("PPL0301", "no log density", Language);
    public static readonly DiagnosticCode NoSimulatorScore = Error("PPL0302", "no simulator score", Language);
    public static readonly DiagnosticCode CannotSimulate = Error("PPL0303", "distribution used as a value, or no simulator", Language);
    public static readonly DiagnosticCode DistributionExpected = Error("PPL0304", "distribution expected after '~'", Language);

    // PPL04xx: data and values (checked when the data are bound, or while running).
    public static readonly DiagnosticCode DataMissing = Error("PPL0401", "data without value", Language);
    public static readonly DiagnosticCode DataNotFinite = Error("PPL0402", "data not finite", Language);
    public static readonly DiagnosticCode DataWrongShape = Error("PPL0403", "data of the wrong shape or type", Language);
    public static readonly DiagnosticCode DataDefaultWrongShape = Error("PPL0404", "data default of the wrong shape", Language);
    public static readonly DiagnosticCode UnknownDataName = new("PPL0405", "unknown data name", DiagnosticLevel.Warning, Language);
    public static readonly DiagnosticCode DataEvaluationFailed = Error("PPL0406", "computing from data failed", Language);
    public static readonly DiagnosticCode ReplayValueMissing = Error("PPL0407", "value missing for replay", Language);
    public static readonly DiagnosticCode ObservationWithoutValue = Error("PPL0408", "observation without a value", Language);
    public static readonly DiagnosticCode ValueOutOfRange = Error("PPL0409", "size, loop range or initial value out of range", Language);
    public static readonly DiagnosticCode NoFiniteInitialPosition = Error("PPL0410", "no finite initial position", Language);
    public static readonly DiagnosticCode DataArgumentOutOfDomain = Error("PPL0411", "argument from data outside its domain", Language);
    public static readonly DiagnosticCode ObservedValueOutsideSupport = Error("PPL0412", "observed value outside the support", Language);
    public static readonly DiagnosticCode RandomVariableGivenAsData = Error("PPL0413", "value given for a param or latent", Language);
    public static readonly DiagnosticCode DrawsMismatch = Error("PPL0414", "draws do not fit the model", Language);
    public static readonly DiagnosticCode IntArithmeticFailure = Error("PPL0420", "int arithmetic overflows or divides by zero", Language);
    public static readonly DiagnosticCode TooManyElements = Error("PPL0421", "too many elements", Language);
    public static readonly DiagnosticCode NumericalFailure = Error("PPL0490", "evaluation failed at run time", Language);

    // PPL050x–051x: data files.
    public static readonly DiagnosticCode FileNotFound = Error("PPL0501", "file not found", Language);
    public static readonly DiagnosticCode MalformedJson = Error("PPL0502", "malformed JSON", Language);
    public static readonly DiagnosticCode RaggedArray = Error("PPL0503", "ragged array", Language);
    public static readonly DiagnosticCode UnsupportedValue = Error("PPL0504", "value data cannot hold", Language);
    public static readonly DiagnosticCode MalformedNpy = Error("PPL0505", "malformed .npy or .npz", Language);
    public static readonly DiagnosticCode UnsupportedDType = Error("PPL0506", "unsupported .npy dtype", Language);
    public static readonly DiagnosticCode NumberOutOfRange = Error("PPL0507", "number out of range", Language);
    public static readonly DiagnosticCode MalformedCsv = Error("PPL0508", "malformed CSV", Language);
    public static readonly DiagnosticCode InputOutputFailure = Error("PPL0509", "read or write refused", Language);
    public static readonly DiagnosticCode DuplicateName = Error("PPL0510", "name given twice", Language);
    public static readonly DiagnosticCode MixedElementTypes = Error("PPL0511", "booleans mixed with numbers", Language);
    public static readonly DiagnosticCode UnknownFormat = Error("PPL0512", "unknown file format", Language);
    public static readonly DiagnosticCode ArrayTooLarge = Error("PPL0513", "array too large", Language);
    public static readonly DiagnosticCode MalformedHdf5 = Error("PPL0514", "malformed HDF5", Language);
    public static readonly DiagnosticCode IncompatibleAppend = Error("PPL0515", "append does not continue the archive", Language);

    // PPL056x: sharded runs and their merge.
    public static readonly DiagnosticCode NotAShard = Error("PPL0561", "not a shard", Language);
    public static readonly DiagnosticCode ShardMismatch = Error("PPL0562", "shards of different runs", Language);
    public static readonly DiagnosticCode ShardsMissing = Error("PPL0563", "shards missing", Language);
    public static readonly DiagnosticCode ShardGivenTwice = Error("PPL0564", "shard given twice", Language);
    public static readonly DiagnosticCode ShardChecksumMismatch = Error("PPL0565", "shard file changed", Language);
    public static readonly DiagnosticCode ForeignShard = Error("PPL0566", "another run's shard in the way", Language);

    // PPL09xx: internal errors (bugs in ppl; no input should produce them).
    public static readonly DiagnosticCode ParserInternalError = Error("PPL0900", "internal error in the parser", Syntax);
    public static readonly DiagnosticCode InternalCompilerError = Error("PPL0901", "internal compiler error", Language);

    /// <summary>Every entry, in code order.</summary>
    public static IReadOnlyList<DiagnosticCode> All { get; } = typeof(DiagnosticCatalogue)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticCode))
        .Select(f => (DiagnosticCode)f.GetValue(null)!)
        .OrderBy(c => c.Code, StringComparer.Ordinal)
        .ToList();

    /// <summary>The entry of a code's text, or null when the catalogue has no such code.</summary>
    public static DiagnosticCode? Find(string code) => All.FirstOrDefault(c => c.Code == code);
}
