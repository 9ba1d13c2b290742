import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockExports } from '../../mocks/mockData';
import {
  createForecastApiMock,
  pending,
  renderWithEntity,
  responseError,
} from '../../__testUtils__/renderWithEntity';
import { ExportsCard } from './ExportsCard';

describe('ExportsCard', () => {
  const createObjectURL = jest.fn(() => 'blob:export');
  const revokeObjectURL = jest.fn();

  beforeAll(() => {
    Object.assign(URL, { createObjectURL, revokeObjectURL });
  });

  it('shows progress while loading', async () => {
    const api = createForecastApiMock({ getExports: jest.fn(() => pending()) });
    await renderWithEntity(<ExportsCard />, { api });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('says how to get a first export', async () => {
    const api = createForecastApiMock({
      getExports: jest.fn(async () => ({ exports: [] })),
    });
    await renderWithEntity(<ExportsCard />, { api });
    expect(
      await screen.findByText('No forecast exports yet'),
    ).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    const api = createForecastApiMock({
      getExports: jest.fn(async () => {
        throw await responseError(500, 'Error', 'S3 bucket not found');
      }),
    });
    await renderWithEntity(<ExportsCard />, { api });
    expect(
      await screen.findByText(/Error: S3 bucket not found/),
    ).toBeInTheDocument();
  });

  it('lists files and downloads one with the API', async () => {
    const blob = new Blob(['item_id,date,p50\n']);
    const api = createForecastApiMock({
      getExports: jest.fn(async () => mockExports),
      downloadExportFile: jest.fn(async () => blob),
    });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});
    await renderWithEntity(<ExportsCard />, { api });

    const file = mockExports.exports[0].files[0];
    expect(await screen.findByText(file.name)).toBeInTheDocument();
    expect(screen.getByText('47 KB')).toBeInTheDocument();
    expect(screen.getByText('0 B')).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: `Download ${file.name}` }),
    );

    await waitFor(() => expect(click).toHaveBeenCalledTimes(1));
    expect(api.downloadExportFile).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'weekly-demand' }),
      file.key,
    );
    expect(createObjectURL).toHaveBeenCalledWith(blob);
    const anchor = click.mock.contexts[0] as HTMLAnchorElement;
    expect(anchor.download).toBe(file.name);
    click.mockRestore();
  });

  it('reports a failed download', async () => {
    const alertApi = { post: jest.fn() };
    const api = createForecastApiMock({
      getExports: jest.fn(async () => mockExports),
      downloadExportFile: jest.fn(async () => {
        throw new Error('Request failed with 403');
      }),
    });
    await renderWithEntity(<ExportsCard />, { api, alertApi });
    const file = mockExports.exports[0].files[0];

    await userEvent.click(
      await screen.findByRole('button', { name: `Download ${file.name}` }),
    );

    await waitFor(() =>
      expect(alertApi.post).toHaveBeenCalledWith({
        message: `Download of ${file.name} failed: Request failed with 403`,
        severity: 'error',
      }),
    );
  });
});
