// The status page in Debian's Chromium, driven by playwright-core, against a running Cadre.
// StatusPageBrowserIT starts 'cadre up' and runs this with:
//   CADRE_URL     the head's HTTP URL            CADRE_TOKEN   the REST token
//   WORK_DIR      an absolute directory for jobs SCREENSHOTS   where the screenshots go
//   CHROMIUM      the browser (default /usr/bin/chromium)
// Every wait has a deadline; nothing sleeps for a fixed time. Exits 1 naming the step that failed.
// The steps run in this order on one head and one browser: each finds the jobs, failures and services the ones
// before it left (the table's filters, the failure counts and the sign-out's empty screen depend on them).
import { check, currentStep, openBrowser, shot } from './browser-session.mjs';
import { signInRefusesAWrongToken, signInShowsTheJobsLive, signOutLeavesNothingOfTheCluster } from './sign-in-steps.mjs';
import { formJobGoesThroughItsStates, outputIsFollowedToItsEnd, runningJobIsCancelledWithItsButton }
  from './job-page-steps.mjs';
import { failureStaysUntilDismissed, manyFailuresKeptToFiveNotices, signalShownInsteadOfAnExitCode }
  from './failure-notice-steps.mjs';
import { holdsReleasesAndPartsShowAsTheyHappen, taskPageFollowsItsTask, tasksSplitOffShowAsSlurmNamesThem }
  from './array-task-steps.mjs';
import { chartDrawsCoresAndQueue, nodesViewCountsASuspendedJobsCoresAsSinfoDoes, nodesViewShowsWhatIsAllocated,
  tableShowsFiltersAndSearches } from './jobs-and-nodes-steps.mjs';
import { servicesViewCreatesScalesAndDeletes } from './services-steps.mjs';
import { phoneWidthFitsEveryView } from './phone-width-steps.mjs';
import { hiddenTabShowsEachStateOnce, movedTaskShowsEventsDuringItsRead, waitingTaskReadsOnlyForNewJobs }
  from './events-and-reads-steps.mjs';

const session = await openBrowser();
try {
  await signInRefusesAWrongToken(session);
  await signInShowsTheJobsLive(session);
  const hello = await formJobGoesThroughItsStates(session);
  await outputIsFollowedToItsEnd(session);
  const sleeper = await runningJobIsCancelledWithItsButton(session);
  await failureStaysUntilDismissed(session);
  const { blocker, array } = await holdsReleasesAndPartsShowAsTheyHappen(session);
  await tasksSplitOffShowAsSlurmNamesThem(session, blocker, array);
  await tableShowsFiltersAndSearches(session, hello, sleeper);
  await nodesViewShowsWhatIsAllocated(session);
  await nodesViewCountsASuspendedJobsCoresAsSinfoDoes(session);
  await taskPageFollowsItsTask(session);
  await servicesViewCreatesScalesAndDeletes(session);
  const killedId = await signalShownInsteadOfAnExitCode(session);
  await manyFailuresKeptToFiveNotices(session, killedId);
  await chartDrawsCoresAndQueue(session);
  await phoneWidthFitsEveryView(session, hello);
  await signOutLeavesNothingOfTheCluster(session);
  await hiddenTabShowsEachStateOnce(session);
  // Last: these two put every tab on the browser's own clock, and the second gives the time back.
  await movedTaskShowsEventsDuringItsRead(session);
  await waitingTaskReadsOnlyForNewJobs(session);

  check(session.failures.length === 0, session.failures.join('; '));
  console.log('PASS');
} catch (e) {
  console.log(`FAIL in step "${currentStep()}": ${e.message}`);
  await shot(session.page, 'failed').catch(() => {});
  process.exitCode = 1;
} finally {
  await session.close();
}
