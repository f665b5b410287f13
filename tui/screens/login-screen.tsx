// Login with the operator's Dekacare account. Only role admin or superadmin with the permission
// `satusehat` gets in; a refusal says why, in plain words.
import { Box, useInput } from 'ink';
import { useState } from 'react';
import { TextInput } from '../components/text-input.js';
import { Txt } from '../components/txt.js';
import { errorMessage, useTui } from '../context.js';
import { useSpinner } from '../hooks/use-spinner.js';
import type { Operator } from '../services.js';
import { environmentPart } from '../view-models/header.js';

export function LoginScreen({ onLogin, onQuit, width }: { onLogin(operator: Operator): void; onQuit(): void; width: number }) {
  const { services, environment, readOnly } = useTui();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [field, setField] = useState<'username' | 'password'>('username');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const spin = useSpinner(busy);

  const check = (user: string, pass: string) => {
    if (user.trim() === '') {
      setField('username');
      setRefusal('Type your Dekacare username');
      return;
    }
    setBusy(true);
    setRefusal(null);
    services
      .login(user.trim(), pass)
      .then((res) => {
        setBusy(false);
        if (res.ok) {
          onLogin(res.operator);
          return;
        }
        setRefusal(res.message);
        setPassword('');
        setField(res.reason === 'unknown_user' || res.reason === 'wrong_password' || res.reason === 'throttled' ? 'password' : 'username');
      })
      .catch((err: unknown) => {
        setBusy(false);
        setRefusal(`Login failed: ${errorMessage(err)}`);
      });
  };

  useInput(
    (_input, key) => {
      if (key.escape) onQuit();
      else if (key.tab || key.upArrow || key.downArrow) setField((f) => (f === 'username' ? 'password' : 'username'));
    },
    { isActive: !busy },
  );

  const env = environmentPart(environment);
  const inputWidth = Math.max(10, Math.min(40, width - 20));
  return (
    <Box flexDirection="column" paddingX={2} paddingY={1} width={Math.min(width, 72)} borderStyle="round">
      <Box>
        <Txt bold>SATUSEHAT sync · admin login </Txt>
        <Txt tone={env.tone} inverse={env.inverse} bold={env.bold}>
          {env.text}
        </Txt>
        {readOnly ? <Txt tone="yellow">{'  read-only'}</Txt> : null}
      </Box>
      <Txt dim>Your Dekacare account: role admin or superadmin with the permission satusehat.</Txt>
      <Txt> </Txt>
      <Box>
        <Box width={11}>
          <Txt bold={field === 'username'}>Username</Txt>
        </Box>
        <TextInput value={username} onChange={setUsername} onSubmit={(u) => (password === '' ? setField('password') : check(u, password))} focus={!busy && field === 'username'} width={inputWidth} maxLength={100} />
      </Box>
      <Box>
        <Box width={11}>
          <Txt bold={field === 'password'}>Password</Txt>
        </Box>
        <TextInput value={password} onChange={setPassword} onSubmit={(p) => check(username, p)} focus={!busy && field === 'password'} width={inputWidth} mask="•" maxLength={200} />
      </Box>
      <Txt> </Txt>
      {busy ? <Txt tone="cyan">{`${spin} Checking…`}</Txt> : refusal ? <Txt tone="red" wrap="wrap">{`✘ ${refusal}`}</Txt> : <Txt dim>Enter next/submit · Tab switch field · Esc quit</Txt>}
    </Box>
  );
}
