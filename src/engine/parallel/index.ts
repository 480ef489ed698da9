/** Training and scoring on several CPU cores with worker threads. */
export { fitModelsInWorkers } from './fitInWorkers';
export { ScoringPool } from './scoringPool';
export { cpuWorkerCount } from './workerCount';
export { ModelWorkerClient } from './modelWorkerClient';
