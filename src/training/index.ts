// training: the book's Trainer (common/trainer.py) with its history and progress callbacks.
export {
  DivergenceError,
  Trainer,
  type EpochInfo,
  type IterationInfo,
  type LossMode,
  type Sampling,
  type TrainerOptions,
  type TrainingHistory,
} from './trainer.js';
