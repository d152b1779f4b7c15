// Typed errors of the test helpers, so a failing test says which helper failed and carries its evidence.

export type TestUtilsErrorDetail =
  | { code: 'PROCESS_NOT_READY'; command: string; output: string }
  | {
      code: 'PROCESS_EXITED';
      command: string;
      exitCode: number | null;
      signal: string | null;
      output: string;
    }
  | { code: 'BINARY_NOT_FOUND'; tool: string; tried: string[] }
  | { code: 'REPO_ROOT_NOT_FOUND'; from: string }
  | { code: 'SOLIDITY_COMPILE'; errors: string[] };

export class TestUtilsError<T extends TestUtilsErrorDetail = TestUtilsErrorDetail> extends Error {
  readonly detail: T;

  constructor(detail: T, message: string) {
    super(message);
    this.name = 'TestUtilsError';
    this.detail = detail;
  }
}
