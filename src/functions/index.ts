// The book's common/functions.py and common/gradient.py: activations, softmax, losses,
// numerical differentiation and gradient checks (book chapters 3–5).
export {
  identityFunction,
  stepFunction,
  sigmoid,
  sigmoidGrad,
  relu,
  reluGrad,
  softmax,
} from './activations.js';
export { sumSquaredError, meanSquaredError, crossEntropyError } from './losses.js';
export {
  numericalDiff,
  numericalGradient,
  numericalGradients,
  gradientDescent,
  gradientCheck,
  networkGradientCheck,
  type NumericalGradientOptions,
  type GradientDescentOptions,
  type GradientDescentHistory,
  type GradientCheckable,
  type NetworkGradientCheckOptions,
} from './gradient.js';
