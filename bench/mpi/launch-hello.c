/*
 * The MPI hello of the launch benchmark (run-mpi-launch-bench.sh): each rank prints the wall-clock time at
 * which its process began and at which MPI_Init returned, so the script can tell when every rank was running.
 */
#include <mpi.h>
#include <stdio.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    double started = now();
    int rank, size, len;
    char host[MPI_MAX_PROCESSOR_NAME];
    MPI_Init(&argc, &argv);
    double initialised = now();
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Get_processor_name(host, &len);
    printf("rank %d of %d on %s started %.6f initialised %.6f\n", rank, size, host, started, initialised);
    MPI_Finalize();
    return 0;
}
