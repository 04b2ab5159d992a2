using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using LossNotebooks.Validation;

namespace LossNotebooks.Networks;

/// <summary>The loss and training accuracy recorded at each iteration of a run (before that iteration's update).</summary>
public sealed record TrainingHistory(double[] Iteration, double[] Loss, double[] Accuracy);

/// <summary>Full-batch gradient descent θ ← θ − η·∂L/∂θ with the gradient from backprop.</summary>
public static class GradientDescent
{
    /// <summary>
    /// <paramref name="iterations"/> steps on the whole batch; updates the network in place. Buffers are allocated
    /// once, so the loop itself does not allocate.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static TrainingHistory Train(TwoLayerNetwork network, ReadOnlySpan<double> x, int[] labels, double learningRate, int iterations)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(labels);
        Guard.Positive(learningRate);
        Guard.Positive(iterations);
        var act = new NetworkActivations(network, labels.Length);
        var gradient = new double[network.ParameterCount];
        var it = new double[iterations];
        var loss = new double[iterations];
        var acc = new double[iterations];
        for (int t = 0; t < iterations; t++)
        {
            it[t] = t;
            loss[t] = network.Forward(x, labels, act);
            if (!double.IsFinite(loss[t]))
                throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, $"the loss diverged to {loss[t]} at iteration {t}: the learning rate is too large.");
            acc[t] = network.Accuracy(labels, act);
            network.Backward(x, labels, act, gradient);
            var p = network.Parameters();
            TensorPrimitives.MultiplyAdd(gradient, -learningRate, p, p);
        }
        return new TrainingHistory(it, loss, acc);
    }
}
