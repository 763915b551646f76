import { AdminTabs } from '@/components/admin/admin-tabs';
import { DeleteChannelButton, TestChannelButton } from '@/components/alerts/channel-buttons';
import { CreateChannelForm } from '@/components/alerts/create-channel-form';
import { DataTable } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { Forbidden } from '@/components/ui/forbidden';
import { PageHeader } from '@/components/ui/page-header';
import { Time } from '@/components/ui/time';
import { pageActorOrRedirect } from '@/lib/server/auth/page-guard';
import { smtpSettings } from '@/lib/server/channels/kinds/email';
import { listChannels } from '@/lib/server/channels/list-channels';
import { listChannelNotifications } from '@/lib/server/channels/list-notifications';
import { serializeChannel, serializeNotification } from '@/lib/server/channels/serialize-channel';

export const metadata = { title: 'Alert channels' };

const KIND_LABEL = { webhook: 'Signed webhook', slack: 'Slack', email: 'E-mail' } as const;

export default async function ChannelsPage() {
  const { allowed } = await pageActorOrRedirect('/admin/channels', 'channels:manage');
  if (!allowed) return <Forbidden permission="channels:manage" />;
  const channels = await Promise.all(
    (await listChannels()).map(async (channel) => ({
      ...serializeChannel(channel),
      notifications: (await listChannelNotifications(channel.id, 20)).items.map(serializeNotification),
    })),
  );
  return (
    <>
      <PageHeader title="Alert channels" description="Where alerts are sent. Engineers choose these channels in their alert rules." />
      <AdminTabs />
      <section className="panel" aria-labelledby="create-channel-heading">
        <h2 id="create-channel-heading">Create a channel</h2>
        <CreateChannelForm emailConfigured={smtpSettings() !== null} />
      </section>
      <h2>Channels ({channels.length})</h2>
      {channels.length === 0 ? (
        <EmptyState title="No channels yet.">
          <p>Create one above, then send it a test message.</p>
        </EmptyState>
      ) : (
        channels.map((channel) => (
          <section className="panel" key={channel.id} aria-label={`Channel ${channel.name}`} data-testid={`channel-${channel.name}`}>
            <header className="page-header">
              <div>
                <h3>{channel.name}</h3>
                <p>
                  <span className="badge">{KIND_LABEL[channel.kind]}</span> <span className="mono">{channel.target}</span>
                </p>
              </div>
              <div className="button-row wrap">
                <TestChannelButton id={channel.id} name={channel.name} />
                <DeleteChannelButton id={channel.id} name={channel.name} />
              </div>
            </header>
            <details open={channel.notifications.length > 0}>
              <summary>Latest messages ({channel.notifications.length})</summary>
              {channel.notifications.length === 0 ? (
                <p className="muted">Nothing sent yet. “Send test” checks the channel end to end.</p>
              ) : (
                <DataTable label={`Messages sent to ${channel.name}`} columns={['Event', 'Status', 'Attempts', 'Last error', 'Queued']}>
                  {channel.notifications.map((n) => (
                    <tr key={n.id}>
                      <td className="mono">{n.event}</td>
                      <td>
                        <span className={n.status === 'delivered' ? 'badge ok' : n.status === 'failed' ? 'badge danger' : 'badge'}>{n.status}</span>
                      </td>
                      <td>{n.attempts}</td>
                      <td>{n.lastError ?? '—'}</td>
                      <td><Time value={n.createdAt} /></td>
                    </tr>
                  ))}
                </DataTable>
              )}
            </details>
          </section>
        ))
      )}
    </>
  );
}
