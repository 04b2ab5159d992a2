namespace LossNotebooks.Derivations;

/// <summary>What a result needs to know about the derivation it came from, whatever the input type.</summary>
public interface IDerivation
{
    string Title { get; }
    /// <summary>The seed document audited (its file name), or null for a derivation of one's own.</summary>
    string? Seed { get; }
}

/// <summary>
/// A derivation written line by line in a notebook, over inputs of a type its author defines (parameters, labels,
/// shapes): a generator draws them from a seeded <see cref="Random"/>, and a failing line prints the input that broke
/// it (its <see cref="object.ToString"/>, or <c>describe</c>). Each cell states one line:
/// <code>
/// var d = new Derivation&lt;Smoothed&gt;("label smoothing", generator: (rng, t) =&gt; Smoothed.Draw(rng));
/// d.Step("grad", "∂L/∂z_j = p_j − t_j", left: x =&gt; x.NumericGradient(), right: x =&gt; x.P(x.J) - x.T(x.J),
///     formula: @"\frac{\partial L}{\partial z_j} = p_j - t_j");
/// d.AtLeast("gibbs", "L ≥ H(t)", value: x =&gt; x.Loss(), bound: x =&gt; x.Entropy());
/// </code>
/// Every side is evaluated on the same seeded inputs; an exception, a NaN or a wrong length in a side is a FAIL that
/// names the side and the input, never an escaped exception. Re-running a cell replaces the step of that id (a step
/// keeps the delegates it was given: after editing a helper, re-run the steps that use it).
/// </summary>
public class Derivation<TInput> : IDerivation
{
    private readonly List<Step<TInput>> _steps = [];
    private readonly Dictionary<string, StepResult> _last = [];

    /// <param name="title">What is derived.</param>
    /// <param name="generator">Draws input number <c>index</c> from the seeded random source.</param>
    /// <param name="seed">The seed document audited (its file name), or null for a derivation of one's own.</param>
    /// <param name="samples">Inputs per step.</param>
    /// <param name="randomSeed">Seed of the inputs: the same seed gives the same inputs and the same numbers.</param>
    /// <param name="describe">How a counterexample prints an input (default: its ToString()).</param>
    public Derivation(string title, Func<Random, int, TInput> generator, string? seed = null, int samples = 200,
        int randomSeed = 20160630, Func<TInput, string>? describe = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentNullException.ThrowIfNull(generator);
        if (seed is not null) ArgumentException.ThrowIfNullOrWhiteSpace(seed);
        Validation.Guard.Positive(samples);
        (Title, Seed, Generator, Samples, RandomSeed) = (title, seed, generator, samples, randomSeed);
        Describe = describe ?? (x => x?.ToString() ?? "null");
    }

    public string Title { get; }
    public string? Seed { get; }
    public IReadOnlyList<Step<TInput>> Steps => _steps;
    public Func<Random, int, TInput> Generator { get; }
    public Func<TInput, string> Describe { get; }
    public int Samples { get; }
    public int RandomSeed { get; }

    public Step<TInput> this[string id] => _steps.FirstOrDefault(s => s.Id == id)
        ?? throw new ArgumentOutOfRangeException(nameof(id), id, $"No step '{id}' in '{Title}'.");

    /// <summary>Removes the step of this id (false if there is none).</summary>
    public bool Remove(string id)
    {
        _last.Remove(id);
        return _steps.RemoveAll(s => s.Id == id) > 0;
    }

    /// <summary>Evaluates a step and adds it (or replaces the step of that id, keeping its place).</summary>
    public StepResult Add(Step<TInput> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        int at = _steps.FindIndex(s => s.Id == step.Id);
        if (step.From is { } from && _steps.All(s => s.Id != from))
            throw new ArgumentException($"from: no step '{from}' in '{Title}' (state it before this one).", nameof(step));
        var inputs = Inputs(step.Samples ?? Samples);
        int before = at < 0 ? _steps.Count : at;
        var result = StepEvaluation.Evaluate(step, inputs, Describe, this, () => Predecessor(step, before, inputs));
        if (at >= 0) _steps[at] = step; else _steps.Add(step);
        _last[step.Id] = result;
        return result;
    }

    /// <summary>A side written as a sum of named terms: when the line fails, the diagnosis names the term that changed.</summary>
    public Terms<TInput> Terms(params (string Name, Func<TInput, double> Value)[] terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return new([.. terms.Select(t => new Term<TInput>(t.Name, Scalar(t.Value, t.Name)))]);
    }

    /// <summary>A vector side written as a sum of named terms (each term one value per entry).</summary>
    public Terms<TInput> VectorTerms(params (string Name, Func<TInput, double[]> Value)[] terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        foreach (var t in terms) ArgumentNullException.ThrowIfNull(t.Value, t.Name);
        return new([.. terms.Select(t => new Term<TInput>(t.Name, t.Value))]);
    }

    private static Func<TInput, double[]> Scalar(Func<TInput, double> f, string name)
    {
        ArgumentNullException.ThrowIfNull(f, name);
        return x => [f(x)];
    }

    private static Func<TInput, double[]> Sum(Terms<TInput> terms) => x =>
    {
        var first = terms.Items[0].Value(x);
        var sum = (double[])first.Clone();
        foreach (var t in terms.Items.Skip(1))
        {
            var v = t.Value(x);
            if (v.Length != sum.Length) throw new InvalidOperationException($"term '{t.Name}' has {v.Length} entries, the first term {sum.Length}");
            for (int e = 0; e < sum.Length; e++) sum[e] += v[e];
        }
        return sum;
    };

    /// <summary>
    /// States one line, Left = Right, with scalar sides, and evaluates it. Tolerances default to the numeric method
    /// used; <c>formula</c> is the line in LaTeX (without $), shown rendered above the verdict; <c>expected: Wrong</c>
    /// states a line on purpose as wrong (name its correction in <c>correctedBy</c>); <c>from</c> names the step this
    /// line follows from, for the diagnosis (default: the nearest earlier passing line with the same left side).
    /// </summary>
    public StepResult Step(string id, string claim, Func<TInput, double> left, Func<TInput, double> right,
        double? tolerance = null, double? relativeTolerance = null, string? toleranceReason = null,
        ExpectedVerdict expected = ExpectedVerdict.Correct, string? correctedBy = null, int? samples = null,
        string? formula = null, string? from = null) =>
        Add(new Step<TInput>(id, claim, Scalar(left, nameof(left)), Scalar(right, nameof(right)), StepKind.Equal, tolerance, relativeTolerance,
            toleranceReason, expected, correctedBy, formula, from, samples));

    /// <summary>States one line whose right side is a sum of named terms (see <see cref="Terms"/>), and evaluates it.</summary>
    public StepResult Step(string id, string claim, Func<TInput, double> left, Terms<TInput> right,
        double? tolerance = null, double? relativeTolerance = null, string? toleranceReason = null,
        ExpectedVerdict expected = ExpectedVerdict.Correct, string? correctedBy = null, int? samples = null,
        string? formula = null, string? from = null)
    {
        ArgumentNullException.ThrowIfNull(right);
        return Add(new Step<TInput>(id, claim, Scalar(left, nameof(left)), Sum(right), StepKind.Equal, tolerance, relativeTolerance,
            toleranceReason, expected, correctedBy, formula, from, samples, right));
    }

    /// <summary>States one line whose sides are vectors (compared entry by entry) and evaluates it.</summary>
    public StepResult Step(string id, string claim, Func<TInput, double[]> left, Func<TInput, double[]> right,
        double? tolerance = null, double? relativeTolerance = null, string? toleranceReason = null,
        ExpectedVerdict expected = ExpectedVerdict.Correct, string? correctedBy = null, int? samples = null,
        string? formula = null, string? from = null) =>
        Add(new Step<TInput>(id, claim, left, right, StepKind.Equal, tolerance, relativeTolerance, toleranceReason, expected,
            correctedBy, formula, from, samples));

    /// <summary>States value ≥ bound on every input (allowing the tolerance); a pass reports the smallest slack value − bound.</summary>
    public StepResult AtLeast(string id, string claim, Func<TInput, double> value, Func<TInput, double> bound,
        double? tolerance = null, double? relativeTolerance = null, string? toleranceReason = null,
        ExpectedVerdict expected = ExpectedVerdict.Correct, string? correctedBy = null, int? samples = null, string? formula = null) =>
        Add(new Step<TInput>(id, claim, Scalar(value, nameof(value)), Scalar(bound, nameof(bound)), StepKind.AtLeast, tolerance,
            relativeTolerance, toleranceReason, expected, correctedBy, formula, null, samples));

    /// <summary>States value ≤ bound on every input (allowing the tolerance); a pass reports the smallest slack bound − value.</summary>
    public StepResult AtMost(string id, string claim, Func<TInput, double> value, Func<TInput, double> bound,
        double? tolerance = null, double? relativeTolerance = null, string? toleranceReason = null,
        ExpectedVerdict expected = ExpectedVerdict.Correct, string? correctedBy = null, int? samples = null, string? formula = null) =>
        Add(new Step<TInput>(id, claim, Scalar(value, nameof(value)), Scalar(bound, nameof(bound)), StepKind.AtMost, tolerance,
            relativeTolerance, toleranceReason, expected, correctedBy, formula, null, samples));

    /// <summary>States that a property is true on every input; a failure shows the first input where it is false.</summary>
    public StepResult Holds(string id, string claim, Func<TInput, bool> property,
        ExpectedVerdict expected = ExpectedVerdict.Correct, string? correctedBy = null, int? samples = null, string? formula = null)
    {
        ArgumentNullException.ThrowIfNull(property);
        return Add(new Step<TInput>(id, claim, x => [property(x) ? 1.0 : 0.0], _ => [1.0], StepKind.Holds, 0.5, 0, "true or false",
            expected, correctedBy, formula, null, samples));
    }

    /// <summary>The seeded inputs a step with <paramref name="count"/> samples sees (the first inputs of every step are the same).</summary>
    public TInput[] Inputs(int? count = null)
    {
        int n = count ?? Samples;
        Validation.Guard.Positive(n, nameof(count));
        var rng = new Random(RandomSeed);
        var inputs = new TInput[n];
        for (int t = 0; t < n; t++)
        {
            try { inputs[t] = Generator(rng, t); }
            catch (Exception e)
            {
                throw new InvalidOperationException($"'{Title}': the input generator threw on input {t}: {e.GetType().Name}: {e.Message}", e);
            }
        }
        return inputs;
    }

    /// <summary>
    /// The line a step follows from, for the diagnosis: the one named in <see cref="StepInfo.From"/>, or the nearest
    /// earlier Equal step claimed correct that passed when last run and whose left side agrees with this step's on the inputs.
    /// </summary>
    private StepEvaluation.Predecessor<TInput>? Predecessor(Step<TInput> step, int before, TInput[] inputs)
    {
        if (step.Kind != StepKind.Equal) return null;
        if (step.From is { } from)
        {
            var named = _steps.FirstOrDefault(s => s.Id == from);
            return named is null ? null : new(named, SameLeft: null);
        }
        for (int p = before - 1; p >= 0; p--)
        {
            var cand = _steps[p];
            if (cand.Kind != StepKind.Equal || cand.Expected != ExpectedVerdict.Correct) continue;
            if (!_last.TryGetValue(cand.Id, out var r) || !r.Passed) continue;
            if (StepEvaluation.SameLeft(cand, step, inputs)) return new(cand, SameLeft: true);
        }
        return null;
    }

    /// <summary>Every step stated so far, again, on the same inputs.</summary>
    public DerivationResult Run()
    {
        if (_steps.Count == 0) throw new InvalidOperationException($"'{Title}' has no steps yet.");
        int most = _steps.Max(s => s.Samples ?? Samples);
        var inputs = Inputs(most);
        var results = new List<StepResult>();
        for (int p = 0; p < _steps.Count; p++)
        {
            var s = _steps[p];
            var mine = inputs.AsSpan(0, s.Samples ?? Samples).ToArray();
            int before = p;
            var r = StepEvaluation.Evaluate(s, mine, Describe, this, () => Predecessor(s, before, mine));
            _last[s.Id] = r;
            results.Add(r);
        }
        return new DerivationResult(this, results);
    }

    /// <summary>One stated step alone, again.</summary>
    public StepResult Run(string id) => Add(this[id]);
}

/// <summary>
/// A derivation over the library's <see cref="StepInput"/> (n×c logits, targets, weights, indices i, j, k, l):
/// what the seed notebooks use.
/// <code>
/// var d = new Derivation("My loss");                                  // 200 seeded random inputs (StepInput.Random)
/// d.Step("grad", "the gradient is σ − y",
///     left:  s =&gt; s.NumericGradient(z =&gt; MyLoss(s, z)),               // reference: numeric ∂L/∂ŷ_kl
///     right: s =&gt; s.S(s.K, s.L) - s.Y(s.K, s.L));                     // the line under test
/// </code>
/// </summary>
public sealed class Derivation : Derivation<StepInput>
{
    /// <param name="title">What is derived.</param>
    /// <param name="seed">The seed document audited (its file name), or null for a derivation of one's own.</param>
    /// <param name="generator">Draws input number <c>index</c> (default <see cref="StepInput.Random"/>).</param>
    /// <param name="samples">Inputs per step.</param>
    /// <param name="randomSeed">Seed of the inputs.</param>
    public Derivation(string title, string? seed = null, Func<Random, int, StepInput>? generator = null,
        int samples = 200, int randomSeed = 20160630)
        : base(title, generator ?? StepInput.Random, seed, samples, randomSeed)
    {
    }
}
