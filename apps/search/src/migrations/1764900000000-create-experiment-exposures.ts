import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * First exposures to experiment variants (docs/events.md, "Experiment
 * exposures"): one row per experiment, subject, UTC day and variant. The
 * primary key is what keeps `experiment.exposed` single when replicas and
 * retries race; rows of past days are pruned.
 */
export class CreateExperimentExposures1764900000000 implements MigrationInterface {
  name = 'CreateExperimentExposures1764900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE search.experiment_exposures (
        experiment text        NOT NULL,
        subject    text        NOT NULL,
        day        date        NOT NULL,
        variant    text        NOT NULL,
        exposed_at timestamptz NOT NULL,
        PRIMARY KEY (experiment, subject, day, variant)
      )`);
    await runner.query('CREATE INDEX experiment_exposures_day_idx ON search.experiment_exposures (day)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE search.experiment_exposures');
  }
}
