using LossNotebooks.Data;
using LossNotebooks.Optimization;

namespace LossNotebooks.Tests.Optimization;

/// <summary>Adam (<see cref="AdamStep"/>, <see cref="Optimizers.Adam"/>) against steps computed by hand and a loop written from its definition.</summary>
public class AdamTests
{
    private static readonly Lazy<DataSplit> Digits = OptimizationData.Digits;

    [Fact]
    public void Two_steps_on_a_quadratic_match_the_hand_computation()
    {
        // f(w) = ½(w₀² + 10·w₁²), ∇f = (w₀, 10·w₁); start (1, −2), η = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
        var rule = new AdamStep(2, learningRate: 0.1);
        double[] w = [1, -2], g = new double[2];
        // Step 1: g = (1, −20), m = (0.1, −2), v = (0.001, 0.4); m̂ = m/0.1 = g, v̂ = v/0.001 = g², so the step is
        // η·g/(|g| + ε) = (0.1, −0.1) up to ε: w = (0.9, −1.9). Both coordinates move by η although g differs 20-fold.
        g[0] = w[0]; g[1] = 10 * w[1];
        rule.Apply(w, g);
        Assert.Equal(0.9, w[0], 1e-8);
        Assert.Equal(-1.9, w[1], 1e-8);
        Assert.Equal(0.1, rule.FirstMoment[0], 1e-15);
        Assert.Equal(0.4, rule.SecondMoment[1], 1e-15);
        // Step 2: g = (0.9, −19); m = 0.9·(0.1, −2) + 0.1·(0.9, −19) = (0.18, −3.7);
        // v = 0.999·(0.001, 0.4) + 0.001·(0.81, 361) = (0.001809, 0.7606); bias factors 1 − 0.9² = 0.19, 1 − 0.999² = 0.001999.
        // w₀ = 0.9 − 0.1·(0.18/0.19)/√(0.001809/0.001999) = 0.9 − 0.1·0.9473684/0.9512899 = 0.8004122(3)
        // w₁ = −1.9 + 0.1·(3.7/0.19)/√(0.7606/0.001999) = −1.9 + 0.1·19.473684/19.506162 = −1.8001665
        g[0] = w[0]; g[1] = 10 * w[1];
        rule.Apply(w, g);
        Assert.Equal(0.80041223, w[0], 1e-8);
        Assert.Equal(-1.80016649, w[1], 1e-8);
        Assert.Equal(2, rule.Steps);
    }

    [Fact]
    public void The_first_step_is_eta_per_coordinate_whatever_the_gradients_scale()
    {
        var rule = new AdamStep(3, learningRate: 0.01);
        double[] w = [0, 0, 0];
        rule.Apply(w, [1e6, -1e-3, 5]);
        Assert.Equal(-0.01, w[0], 1e-15);              // |g| = 1e6: ε is below the last bit
        Assert.Equal(0.01 / (1 + 1e-5), w[1], 1e-15);   // ε = 1e-8 against |g| = 1e-3: η·1e-3/(1e-3 + 1e-8)
        Assert.Equal(-0.01 / (1 + 2e-9), w[2], 1e-15); // η·5/(5 + 1e-8)
    }

    [Fact]
    public void Adam_on_digits_equals_a_loop_written_from_the_definition_bit_for_bit()
    {
        // W₀ = scale·N(0,1) from new Random(seed); per epoch a Fisher–Yates shuffle from the same generator, consecutive
        // batches (as for SGD); then the Adam step with β^t accumulated by multiplication.
        var model = new LinearClassifier(Digits.Value.Train, LinearLoss.SoftmaxCrossEntropy, 1e-3);
        const int steps = 90, batch = 32, seed = 4;
        const double eta = 0.01, b1 = 0.8, b2 = 0.99, eps = 1e-6, scale = 1e-2;
        int n = model.Rows, P = model.Parameters;
        var random = new Random(seed);
        var w = new double[P];
        Gaussian.Fill(random, w, scale);
        var order = Enumerable.Range(0, n).ToArray();
        double[] g = new double[P], m = new double[P], v = new double[P];
        double p1 = 1, p2 = 1;
        int position = n;
        for (int t = 0; t < steps; t++)
        {
            if (position + batch > n)
            {
                for (int i = n - 1; i > 0; i--) { int j = random.Next(i + 1); (order[i], order[j]) = (order[j], order[i]); }
                position = 0;
            }
            model.ValueAndGradient(w, g, order.AsSpan(position, batch));
            position += batch;
            p1 *= b1; p2 *= b2;
            for (int k = 0; k < P; k++)
            {
                m[k] = b1 * m[k] + (1 - b1) * g[k];
                v[k] = b2 * v[k] + (1 - b2) * (g[k] * g[k]);
                w[k] -= eta * (m[k] / (1 - p1)) / (Math.Sqrt(v[k] / (1 - p2)) + eps);
            }
        }
        var adam = Optimizers.Adam(model, null, steps, batch, eta, b1, b2, eps, scale: scale, seed: seed, traceEvery: steps);
        Assert.Equal(w.Select(BitConverter.DoubleToInt64Bits), adam.Weights.Select(BitConverter.DoubleToInt64Bits));
        Assert.Contains("Adam", adam.Method);
    }

    [Fact]
    public void Adam_trains_digits_to_the_band_of_sgd_in_the_same_budget()
    {
        var split = Digits.Value;
        var model = new LinearClassifier(split.Train, LinearLoss.Hinge, 1e-3);
        var adam = Optimizers.Adam(model, split.Validation, 300, 32, 0.01, seed: 1);
        var sgd = Optimizers.Sgd(model, split.Validation, 300, 32, 0.03, seed: 1);
        Assert.Equal(sgd.Final.Evaluations, adam.Final.Evaluations);
        Assert.True(adam.Final.Loss < 0.05 * adam.Trace[0].Loss, $"{adam.Trace[0].Loss} → {adam.Final.Loss}");
        // One standard error of a ~96 % accuracy on these 450 validation rows is ≈ 0.9 points; allow two.
        Assert.InRange(adam.Final.ValidationAccuracy, sgd.Final.ValidationAccuracy - 0.018, 1.0);
    }

    [Theory]
    [InlineData("learningRate", 0.0, 0.9, 0.999, 1e-8)]
    [InlineData("beta1", 0.1, 1.0, 0.999, 1e-8)]
    [InlineData("beta1", 0.1, -0.1, 0.999, 1e-8)]
    [InlineData("beta2", 0.1, 0.9, 1.0, 1e-8)]
    [InlineData("epsilon", 0.1, 0.9, 0.999, 0.0)]
    public void Bad_settings_name_the_parameter(string name, double eta, double b1, double b2, double eps)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new AdamStep(4, eta, b1, b2, eps));
        Assert.Equal(name, e.ParamName);
    }
}
