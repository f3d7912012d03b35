// 去支付: Stripe's Payment Element for the PaymentIntent the server made (payments.services.initialize_transaction),
// then the server is asked what happened (process_transaction) and the order page is shown.
//
// Stripe.js comes from settings.STRIPE_JS_URL. In tests that is localstripe's stand-in, which has no Payment
// Element and no confirmPayment: its element is a row of card inputs, and a PaymentIntent can only be given a
// card by the server. So without confirmPayment the card becomes a token in the browser (the stand-in's
// createToken, allowed with the publishable key), the server starts a payment with it
// (initialize_transaction(payment_method=...)), and a card that asks for 3-D Secure is authenticated with
// confirmCardPayment. Everything after that is the same code for both.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("[data-pay]");
  if (!form || typeof Stripe !== "function") return;
  const { publishableKey, clientSecret, processUrl, standInUrl, returnUrl } = form.dataset;
  const { transaction } = form.dataset;
  const message = form.querySelector("[data-pay-message]");
  const submit = form.querySelector("[data-pay-submit]");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const say = (text, failed = false) => {
    message.textContent = text;
    message.classList.toggle("pay-form__message--error", failed);
  };

  const stripe = Stripe(publishableKey, { locale: "zh" });
  const elements = stripe.elements({ clientSecret, locale: "zh" });
  const paymentElement = elements.create("payment", { layout: "tabs" });
  paymentElement.mount("#payment-element");

  const post = async (url, data) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      body: new URLSearchParams(data),
      credentials: "same-origin",
    });
    return response.json().catch(() => ({ status: "failed", message: "网络异常，请稍后重试。" }));
  };

  const confirmWithStripe = () =>
    stripe.confirmPayment({ elements, redirect: "if_required", confirmParams: { return_url: returnUrl } });

  const confirmWithStandIn = async () => {
    const { token, error } = await stripe.createToken(paymentElement);
    if (error) return { error };
    const confirmed = await post(standInUrl, { transaction, payment_method: token.card.id });
    if (confirmed.status === "failed") return { error: { message: confirmed.message } };
    if (confirmed.next_action) return stripe.confirmCardPayment(confirmed.client_secret);
    return {};
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    say("正在支付，请勿关闭页面…");
    let result;
    try {
      result = typeof stripe.confirmPayment === "function" ? await confirmWithStripe() : await confirmWithStandIn();
    } catch (failure) {
      result = { error: { message: "支付未成功，请稍后重试。" } };
    }
    if (result.error) {
      say(result.error.message || "支付未成功，请检查卡信息后重试。", true);
      submit.disabled = false;
      return;
    }
    const answer = await post(processUrl, { transaction });
    say(answer.message, answer.status === "failed");
    if (answer.status === "failed") {
      submit.disabled = false;
      return;
    }
    window.location.assign(answer.url);
  });
});
