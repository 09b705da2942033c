import type { Clock } from '../../domain/ports/clock.port';

export class SystemClock implements Clock {
  nowMillis(): number {
    return Date.now();
  }
}
