package dev.cadre.cli.slurm;

/** sreport's -h/--help/--usage and its help command: sreport.c's _usage, for the reports Cadre runs. */
final class SreportHelp {
    static final String USAGE = """
            sreport [<OPTION>] [<COMMAND>]
                Valid <OPTION> values are:
                 -a or --all_clusters: Use all clusters instead of current
                 -h or --help: equivalent to "help" command
                 -M or --cluster: Equivalent to "cluster" option
                 -n or --noheader: equivalent to "noheader" command
                 -p or --parsable: output will be '|' delimited with a '|' at the end
                 -P or --parsable2: output will be '|' delimited without a '|' at the end
                 -Q or --quiet: equivalent to "quiet" command
                 -s or --sort: Name, Time
                 -t <time_format>: Second, Minute, Hour, Percent, SecPer, MinPer, HourPer
                 -T or --tres: comma separated list of TRES (Cadre records cpu)
                 -v or --verbose: equivalent to "verbose" command
                 -V or --version: equivalent to "version" command

                Valid <COMMAND> values are:
                 help                Print this description of use.
                 version             Display tool version number.

                Valid report types are:
                 cluster <REPORT> <OPTIONS>
                 job <REPORT> <OPTIONS>
                 user <REPORT> <OPTIONS>

              <REPORT> is different for each report type.
                 cluster - AccountUtilizationByUser, UserUtilizationByAccount,
                           Utilization (the WCKey reports need data Cadre does not keep)
                 job     - SizesByAccount
                 user    - TopUsage

              <OPTIONS> are different for each report type.

                 COMMON FOR ALL TYPES
                         - All_Clusters     - Use all monitored clusters default is
                                              local cluster.
                         - Clusters=<OPT>   - List of clusters to include in report
                                              Default is local cluster.
                         - End=<OPT>        - Period ending for report.
                                              Default is 23:59:59 of previous day.
                         - Format=<OPT>     - Comma separated list of fields to display
                                              in report.
                         - Start=<OPT>      - Period start for report.
                                              Default is 00:00:00 of previous day.

                 cluster - Accounts=<OPT>   - When used with the UserUtilizationByAccount,
                                              or AccountUtilizationByUser, List of accounts
                                              to include in report.  Default is all.
                         - Tree             - When used with the AccountUtilizationByUser
                                              report will span the accounts as they
                                              in the hierarchy.
                         - Users=<OPT>      - When used with any report other than
                                              Utilization, List of users to include in
                                              report.  Default is all.

                 job     - Accounts=<OPT>   - List of accounts to use for the report
                                              Default is all.
                         - FlatView         - When used with the SizesbyAccount(*)
                                              will not group accounts in a
                                              hierarchical level.
                         - Grouping=<OPT>   - Comma separated list of size groupings.
                                              (i.e. 50,100,150 would group job cpu count
                                               1-49, 50-99, 100-149, > 150).
                                              grouping=individual will result in a
                                              single column for each job size found.
                         - PrintJobCount    - When used with the any Sizes report
                                              will print number of jobs ran instead of
                                              time used.
                         - Users=<OPT>      - List of users jobs to include in report.
                                              Default is all.

                 user    - Accounts=<OPT>   - List of accounts to use for the report
                                              Default is all.
                         - Group            - Group all accounts together for each user.
                                              Default is a separate entry for each user
                                              and account reference.
                         - TopCount=<OPT>   - Used in the TopUsage report.  Change the
                                              number of users displayed.  Default is 10.
                         - Users=<OPT>      - List of users jobs to include in report.
                                              Default is all.

              Below are the format options for each report.

              One can get an number of characters by following the field option with
              a %NUMBER option.  i.e. format=name%30 will print 30 chars of field name.

                   Cluster
                   - AccountUtilizationByUser
                   - UserUtilizationByAccount
                         - Accounts, Cluster, Login, Proper, TresName, Used, Energy
                   - Utilization
                         - Allocated, Cluster, Down, Idle, Overcommitted, PlannedDown,
                           Planned, Reported, TresCount, TresName

                   Job
                   - Sizes
                         - Account, Cluster

                   User
                   - TopUsage
                         - Account, Cluster, Login, Proper, TresName, Used, Energy

              Cadre: every job is in the account root; usage is the CPUs each job held
              times the seconds it ran inside the period, every run of a requeued job
              counted. Utilization reads each node's up, down and drain history:
              a drained node's time is Down, as in Slurm; PLND Down and Planned are 0.

            """;

    private SreportHelp() {
    }
}
