import { lazy } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Link, Route, Routes } from 'react-router-dom';
import { PageMessage } from '../components/PageMessage.js';
import { EventPage } from '../features/catalogue/EventPage.js';
import { HomePage } from '../features/catalogue/HomePage.js';
import { WEB_ROUTES as R } from '../../shared/web-routes.js';
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
const SitePage = lazy(() => import('../features/site/SitePage.js').then((m) => ({ default: m.SitePage })));
const ForgotPasswordPage = lazy(() => import('../features/auth/PasswordResetPages.js').then((m) => ({ default: m.ForgotPasswordPage })));
const ResetPasswordPage = lazy(() => import('../features/auth/PasswordResetPages.js').then((m) => ({ default: m.ResetPasswordPage })));
const DrawPage = lazy(() => import('../features/waiting-room/DrawPage.js').then((m) => ({ default: m.DrawPage })));
const AdminPage = lazy(() => import('../features/admin/AdminPage.js').then((m) => ({ default: m.AdminPage })));

export function App() {
  return (
    <BrowserRouter>
      <AuthProvider>
        <Routes>
          <Route element={<Layout />}>
            {/* Every path is from shared/web-routes.ts: the server answers any other address with a 404. */}
            <Route path={R.home} element={<HomePage />} />
            <Route path={R.event} element={<EventPage />} />
            <Route path={R.login} element={<LoginPage />} />
            <Route path={R.signup} element={<SignupPage />} />
            <Route path={R.forgotPassword} element={<ForgotPasswordPage />} />
            <Route path={R.resetPassword} element={<ResetPasswordPage />} />
            <Route path={R.draw} element={<DrawPage />} />
            <Route path={R.help} element={<SitePage slug="help" />} />
            <Route path={R.terms} element={<SitePage slug="terms" />} />
            <Route path={R.privacy} element={<SitePage slug="privacy" />} />
            <Route path={R.contact} element={<SitePage slug="contact" />} />
            <Route
              path={R.profile}
              element={
                <RequireAuth>
                  <ProfilePage />
                </RequireAuth>
              }
            />
            <Route
              path={R.order}
              element={
                <RequireAuth>
                  <OrderPage />
                </RequireAuth>
              }
            />
            <Route
              path={R.show}
              element={
                <RequireAuth>
                  <BuyPage />
                </RequireAuth>
              }
            />
            <Route
              path={R.admin}
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
  const { t } = useTranslation();
  useDocumentTitle(t('notFound.title'));
  return (
    <div className="container narrow">
      <PageMessage
        title={t('notFound.title')}
        actions={
          <Link to="/" className="btn btn-primary">
            {t('common.browseEvents')}
          </Link>
        }
      >
        <p>{t('notFound.text')}</p>
      </PageMessage>
    </div>
  );
}
