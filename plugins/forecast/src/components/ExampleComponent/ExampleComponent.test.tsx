import { ExampleComponent } from './ExampleComponent';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { screen } from '@testing-library/react';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';

describe('ExampleComponent', () => {
  const server = setupServer();
  // Enable sane handlers for network requests
  registerMswTestHooks(server);

  // setup mock response
  beforeEach(() => {
    server.use(http.get('*', () => HttpResponse.json({}, { status: 200 })));
  });

  it('should render', async () => {
    await renderInTestApp(<ExampleComponent />);
    expect(screen.getByText('Welcome to forecast!')).toBeInTheDocument();
  });
});
