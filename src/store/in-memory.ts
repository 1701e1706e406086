/** The data folder value that keeps everything in memory (tests, throwaway demos). */
export const IN_MEMORY_DATA_DIR = 'memory://';
