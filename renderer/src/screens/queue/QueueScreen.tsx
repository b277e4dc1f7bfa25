import { ExposureNotice } from '../../components/ExposureNotice';
import { LeaseRefusal } from '../../components/LeaseRefusal';
import { GuidelineUpdates } from './GuidelineUpdates';
import { ImportTasks } from './ImportTasks';
import { LeadNotices } from './LeadNotices';
import { QuarantineList } from './QuarantineList';
import { QueueCounts } from './QueueCounts';
import { QueueLists } from './QueueLists';
import { StartButton } from './StartButton';

export function QueueScreen() {
  return (
    <main id="main" className="queue-screen" tabIndex={-1}>
      <div className="queue-head">
        <h1>Your queue</h1>
        <StartButton />
        <ImportTasks />
      </div>
      <LeaseRefusal offerTraining />
      <ExposureNotice />
      <LeadNotices />
      <GuidelineUpdates />
      <QueueCounts />
      <QuarantineList />
      <QueueLists />
    </main>
  );
}
