import { lazy } from 'react';
import { BrowserRouter, Link, Route, Routes } from 'react-router-dom';
import { PageMessage } from '../components/PageMessage.js';
import { EventPage } from '../features/catalogue/EventPage.js';
import { HomePage } from '../features/catalogue/HomePage.js';
import { useDocumentTitle } from '../lib/hooks.js';
import { AuthProvider } from './auth.js';
import { Layout } from './Layout.js';
import { RequireAuth } from './RequireAuth.js';

// Pages behind login load on demand: the catalogue stays light (no zod, socket.io or qrcode).
const LoginPage = lazy(() => import('../features/auth/LoginPage.js').then((m) => ({ default: m.LoginPage })));
const SignupPage = lazy(() => import('../features/auth/SignupPage.js').then((m) => ({ default: m.SignupPage })));
const ProfilePage = lazy(() => import('../features/orders/ProfilePage.js').then((m) => ({ default: m.ProfilePage })));
const OrderPage = lazy(() => import('../features/orders/OrderPage.js').then((m) => ({ default: m.OrderPage })));
const BuyPage = lazy(() => import('../pages/buying/BuyPage.js').then((m) => ({ default: m.BuyPage })));
const AdminPage = lazy(() => import('../features/admin/AdminPage.js').then((m) => ({ default: m.AdminPage })));

export function App() {
  return (
    <BrowserRouter>
      <AuthProvider>
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<HomePage />} />
            <Route path="events/:eventId" element={<EventPage />} />
            <Route path="login" element={<LoginPage />} />
            <Route path="signup" element={<SignupPage />} />
            <Route
              path="profile"
              element={
                <RequireAuth>
                  <ProfilePage />
                </RequireAuth>
              }
            />
            <Route
              path="orders/:orderId"
              element={
                <RequireAuth>
                  <OrderPage />
                </RequireAuth>
              }
            />
            <Route
              path="shows/:showId"
              element={
                <RequireAuth>
                  <BuyPage />
                </RequireAuth>
              }
            />
            <Route
              path="admin/*"
              element={
                <RequireAuth>
                  <AdminPage />
                </RequireAuth>
              }
            />
            <Route path="*" element={<NotFound />} />
          </Route>
        </Routes>
      </AuthProvider>
    </BrowserRouter>
  );
}

function NotFound() {
  useDocumentTitle('Page not found');
  return (
    <div className="container narrow">
      <PageMessage
        title="Page not found"
        actions={
          <Link to="/" className="btn btn-primary">
            Browse events
          </Link>
        }
      >
        <p>The page you were looking for does not exist or has moved.</p>
      </PageMessage>
    </div>
  );
}
