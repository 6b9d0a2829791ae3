/** One dependency the app needs to serve traffic. `check` rejects when it does not answer. */
export interface HealthCheck {
  readonly name: string;
  check(): Promise<void>;
}

/** Injection tokens under which the platform modules register their checks. */
export const HEALTH_CHECKS = {
  postgres: Symbol('HEALTH_CHECK_POSTGRES'),
  kafka: Symbol('HEALTH_CHECK_KAFKA'),
  redis: Symbol('HEALTH_CHECK_REDIS'),
} as const;

export type Dependency = keyof typeof HEALTH_CHECKS;
