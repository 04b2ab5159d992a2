namespace LossNotebooks.Derivations;

/// <summary>
/// A derivation written line by line in a notebook. Create it once, then each cell states one line as a step:
/// <code>
/// var d = new Derivation("My loss");                                  // 200 seeded random inputs (StepInput.Random)
/// d.Step("grad", "the gradient is σ − y",
///     left:  s => s.NumericGradient(z => MyLoss(s, z)),               // reference: numeric ∂L/∂ŷ_kl
///     right: s => s.S(s.K, s.L) - s.Y(s.K, s.L));                     // the line under test
/// </code>
/// <see cref="Step(string, string, StepFunction, StepFunction, double?, double?, string?, ExpectedVerdict, string?, int?)"/>
/// evaluates the line on the seeded inputs and returns a <see cref="StepResult"/> (one line when it passes; the worst
/// entry and its input when it fails). Re-running a cell replaces the step of that id. Same seed → same numbers.
/// </summary>
public sealed class Derivation
{
    private readonly List<Step> _steps = [];

    /// <param name="title">What is derived.</param>
    /// <param name="seed">The seed document audited (its file name), or null for a derivation of one's own.</param>
    /// <param name="generator">Draws input number <c>index</c> (default <see cref="StepInput.Random"/>).</param>
    /// <param name="samples">Inputs per step.</param>
    /// <param name="randomSeed">Seed of the inputs.</param>
    public Derivation(string title, string? seed = null, Func<Random, int, StepInput>? generator = null,
        int samples = 200, int randomSeed = 20160630)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        if (seed is not null) ArgumentException.ThrowIfNullOrWhiteSpace(seed);
        Validation.Guard.Positive(samples);
        (Title, Seed, Generator, Samples, RandomSeed) = (title, seed, generator ?? StepInput.Random, samples, randomSeed);
    }

    public string Title { get; }
    /// <summary>The seed document's file name, or null.</summary>
    public string? Seed { get; }
    public IReadOnlyList<Step> Steps => _steps;
    public Func<Random, int, StepInput> Generator { get; }
    public int Samples { get; }
    public int RandomSeed { get; }

    public Step this[string id] => _steps.FirstOrDefault(s => s.Id == id)
        ?? throw new ArgumentOutOfRangeException(nameof(id), id, $"No step '{id}' in '{Title}'.");

    /// <summary>Adds (or replaces, by id) a step and evaluates it.</summary>
    public StepResult Add(Step step)
    {
        ArgumentNullException.ThrowIfNull(step);
        int at = _steps.FindIndex(s => s.Id == step.Id);
        if (at >= 0) _steps[at] = step; else _steps.Add(step);
        return Evaluate(step);
    }

    /// <summary>States one line with a scalar identity and evaluates it. Tolerances default to the numeric method used.</summary>
    public StepResult Step(string id, string claim, StepFunction left, StepFunction right,
        double? tolerance = null, double? relativeTolerance = null, string? toleranceReason = null,
        ExpectedVerdict expected = ExpectedVerdict.Correct, string? correctedBy = null, int? samples = null) =>
        Add(new Step(id, claim, left, right, tolerance, relativeTolerance, toleranceReason, expected, correctedBy) { Samples = samples });

    /// <summary>States one line whose sides are vectors (compared entry by entry) and evaluates it.</summary>
    public StepResult Step(string id, string claim, VectorStepFunction left, VectorStepFunction right,
        double? tolerance = null, double? relativeTolerance = null, string? toleranceReason = null,
        ExpectedVerdict expected = ExpectedVerdict.Correct, string? correctedBy = null, int? samples = null) =>
        Add(new Step(id, claim, left, right, tolerance, relativeTolerance, toleranceReason, expected, correctedBy) { Samples = samples });

    /// <summary>The seeded inputs a step with <paramref name="count"/> samples sees (the first inputs of every step are the same).</summary>
    public StepInput[] Inputs(int? count = null)
    {
        int n = count ?? Samples;
        Validation.Guard.Positive(n);
        var rng = new Random(RandomSeed);
        var inputs = new StepInput[n];
        for (int t = 0; t < n; t++) inputs[t] = Generator(rng, t);
        return inputs;
    }

    private StepResult Evaluate(Step step) => StepResult.Evaluate(step, Inputs(step.Samples ?? Samples), this);

    /// <summary>Every step stated so far, again, on the same inputs.</summary>
    public DerivationResult Run()
    {
        if (_steps.Count == 0) throw new InvalidOperationException($"'{Title}' has no steps yet.");
        int most = _steps.Max(s => s.Samples ?? Samples);
        var inputs = Inputs(most);
        return new DerivationResult(this, _steps.Select(s => StepResult.Evaluate(s, inputs.AsSpan(0, s.Samples ?? Samples), this)).ToList());
    }

    /// <summary>One stated step alone, again.</summary>
    public StepResult Run(string id) => Evaluate(this[id]);
}
