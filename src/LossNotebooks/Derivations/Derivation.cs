namespace LossNotebooks.Derivations;

/// <summary>
/// A derivation as data: a title, the seed file it audits, its steps, and how its random inputs are drawn.
/// <see cref="Run()"/> evaluates every step on <see cref="Samples"/> seeded inputs (same seed → same numbers).
/// </summary>
public sealed class Derivation
{
    public Derivation(string title, string seed, IReadOnlyList<Step> steps, Func<Random, int, StepInput>? generator = null,
        int samples = 200, int randomSeed = 20160630)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentException.ThrowIfNullOrWhiteSpace(seed);
        ArgumentNullException.ThrowIfNull(steps);
        Validation.Guard.Positive(samples);
        var ids = new HashSet<string>();
        foreach (var s in steps)
            if (!ids.Add(s.Id)) throw new ArgumentException($"Duplicate step id '{s.Id}'.", nameof(steps));
        foreach (var s in steps)
            if (s.CorrectedBy is { } c && !ids.Contains(c))
                throw new ArgumentException($"Step '{s.Id}' names a correction '{c}' that is not in this derivation.", nameof(steps));
        (Title, Seed, Steps, Generator, Samples, RandomSeed) = (title, seed, steps, generator ?? StepInput.Random, samples, randomSeed);
    }

    public string Title { get; }
    /// <summary>The seed document's file name (in /work/shared/seeds).</summary>
    public string Seed { get; }
    public IReadOnlyList<Step> Steps { get; }
    /// <summary>Draws input number <c>index</c> from the random source.</summary>
    public Func<Random, int, StepInput> Generator { get; }
    public int Samples { get; }
    public int RandomSeed { get; }

    public Step this[string id] => Steps.FirstOrDefault(s => s.Id == id)
        ?? throw new ArgumentOutOfRangeException(nameof(id), id, $"No step '{id}' in '{Title}'.");

    /// <summary>Every step on the same seeded inputs.</summary>
    public DerivationResult Run()
    {
        int most = Steps.Max(s => s.Samples ?? Samples);
        var rng = new Random(RandomSeed);
        var inputs = new StepInput[most];
        for (int t = 0; t < most; t++) inputs[t] = Generator(rng, t);
        var results = Steps.Select(s => StepResult.Evaluate(s, inputs.AsSpan(0, s.Samples ?? Samples))).ToList();
        return new DerivationResult(this, results);
    }

    /// <summary>One step alone, on this derivation's inputs.</summary>
    public StepResult Run(string id)
    {
        var step = this[id];
        int count = step.Samples ?? Samples;
        var rng = new Random(RandomSeed);
        var inputs = new StepInput[count];
        for (int t = 0; t < count; t++) inputs[t] = Generator(rng, t);
        return StepResult.Evaluate(step, inputs);
    }

    /// <summary>The same steps on other random inputs (to show a verdict does not depend on the chosen seed).</summary>
    public Derivation WithRandomSeed(int randomSeed) => new(Title, Seed, Steps, Generator, Samples, randomSeed);

    /// <summary>A copy with one step replaced (used to show that a broken step is caught).</summary>
    public Derivation With(Step replacement)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        _ = this[replacement.Id];
        return new Derivation(Title, Seed, Steps.Select(s => s.Id == replacement.Id ? replacement : s).ToList(), Generator, Samples, RandomSeed);
    }
}
